// Builds the bundles when they are missing or older than the sources, so `npm run serve` and
// `npm run demo` work on a fresh clone and start instantly once built.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const outputs = [
  'dist/main/osc.cjs',
  'dist/main/electron-main.cjs',
  'dist/main/core-process.cjs',
  'dist/main/engine-worker.cjs',
  'dist/main/store-worker.cjs',
  'dist/preload/preload.cjs',
  'dist/renderer/index.html',
];
const sources = ['main', 'renderer', 'shared', 'vite.config.ts', 'package.json'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const missing = outputs.some((file) => !existsSync(file));
const built = missing ? 0 : Math.min(...outputs.map((file) => statSync(file).mtimeMs));
const changed = missing || sources.some((source) => existsSync(source) && newest(source) > built);
if (changed) {
  process.stderr.write('Building the console (vite)…\n');
  execSync('npm run --silent build', { stdio: ['ignore', 'inherit', 'inherit'] });
}
