// Proves what electron-builder.yml puts into the desktop package, on a machine where Electron itself
// cannot be downloaded on these machines (README: Electron cannot run on the CI machines). Run: node --import tsx test/integration/packaging/check-package-content.ts
//
// It packs `--linux dir` in a temp copy of the project with a stub Electron (a file carrying the fuse
// wire, so the real after-pack hook runs on it), then checks app.asar, app.asar.unpacked and the fuses.
// Not part of `npm test`: one run takes about half a minute. Uses dist/ if built, else placeholders.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import pkg from '../../../package.json' with { type: 'json' };

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 0x31;
const DISABLE = 0x30;
const results: { ok: boolean; what: string }[] = [];

function check(ok: boolean, what: string): void {
  results.push({ ok, what });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
}

/** Every path inside an asar archive (its header is a length-prefixed JSON tree). */
function asarEntries(file: string): Set<string> {
  const buffer = readFileSync(file);
  const headerLength = buffer.readUInt32LE(12);
  const header = JSON.parse(buffer.subarray(16, 16 + headerLength).toString('utf8')) as AsarNode;
  const entries = new Set<string>();
  const walk = (node: AsarNode, prefix: string): void => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const entry = `${prefix}${name}`;
      entries.add(entry);
      walk(child, `${entry}/`);
    }
  };
  walk(header, '');
  return entries;
}
interface AsarNode {
  files?: Record<string, AsarNode>;
}

function stageProject(stage: string): boolean {
  const project = path.join(stage, 'project');
  mkdirSync(path.join(project, 'scripts'), { recursive: true });
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml']) {
    cpSync(path.join(projectRoot, file), path.join(project, file));
  }
  cpSync(
    path.join(projectRoot, 'scripts', 'after-pack.mjs'),
    path.join(project, 'scripts', 'after-pack.mjs'),
  );
  cpSync(path.join(projectRoot, 'build'), path.join(project, 'build'), { recursive: true });
  // Hard links: a copy costs no space, and npm's dependency listing (which a symlink confuses) works.
  execFileSync('cp', ['-al', path.join(projectRoot, 'node_modules'), path.join(project, 'node_modules')]);
  const built = existsSync(path.join(projectRoot, 'dist', 'main', 'electron-main.cjs'));
  if (built) {
    cpSync(path.join(projectRoot, 'dist'), path.join(project, 'dist'), { recursive: true });
  } else {
    for (const [file, text] of [
      ['dist/main/electron-main.cjs', '"use strict";\n'],
      ['dist/main/electron-main.cjs.map', '{}\n'],
      ['dist/main/core-process.cjs', '"use strict";\n'],
      ['dist/preload/preload.cjs', '"use strict";\n'],
      ['dist/renderer/index.html', '<!doctype html>\n'],
    ] as const) {
      mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      writeFileSync(path.join(project, file), text);
    }
  }
  // The stub Electron: junk around a fuse wire with every fuse on, and the version file builder reads.
  const electronDist = path.join(stage, 'electron-dist');
  mkdirSync(electronDist);
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 9]), Buffer.alloc(9, ENABLE)]);
  writeFileSync(
    path.join(electronDist, 'electron'),
    Buffer.concat([Buffer.alloc(2048, 0xcc), wire, Buffer.alloc(2048)]),
    {
      mode: 0o755,
    },
  );
  writeFileSync(path.join(electronDist, 'version'), pkg.devDependencies.electron.replace(/^[^\d]*/, ''));
  return built;
}

async function main(): Promise<void> {
  const stage = mkdtempSync(path.join(tmpdir(), 'osc-package-check-'));
  try {
    const built = stageProject(stage);
    console.log(
      built ? 'Using the built dist/.' : 'dist/ is not built: placeholder bundles (layout check only).',
    );
    const started = Date.now();
    execFileSync(
      process.execPath,
      [
        path.join(projectRoot, 'node_modules', 'electron-builder', 'cli.js'),
        '--config',
        'electron-builder.yml',
        '--linux',
        'dir',
        `-c.electronDist=${path.join(stage, 'electron-dist')}`,
        // A rebuild here would compile against Node's headers: a wrong-ABI module.
        '-c.npmRebuild=false',
        `-c.directories.output=${path.join(stage, 'out')}`,
      ],
      { cwd: path.join(stage, 'project'), stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 },
    );
    console.log(`electron-builder --linux dir took ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const appOut = path.join(stage, 'out', 'linux-unpacked');
    const asar = path.join(appOut, 'resources', 'app.asar');
    const unpacked = path.join(appOut, 'resources', 'app.asar.unpacked', 'node_modules');
    check(existsSync(asar), 'resources/app.asar exists');
    if (!existsSync(asar)) return;
    console.log(`app.asar: ${(statSync(asar).size / 1024 / 1024).toFixed(1)} MiB`);
    check(
      existsSync(path.join(unpacked, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')),
      'better_sqlite3.node is unpacked',
    );
    check(
      existsSync(path.join(unpacked, 'better-sqlite3', 'lib', 'index.js')),
      'better-sqlite3 lib/ is unpacked with it',
    );
    check(
      existsSync(path.join(unpacked, '@napi-rs', 'keyring-linux-x64-gnu')),
      'the keyring native module is unpacked',
    );

    const entries = asarEntries(asar);
    for (const entry of [
      'package.json',
      'dist/main/electron-main.cjs',
      // The core's own process (Electron utility process): the store is only ever opened there.
      'dist/main/core-process.cjs',
      'dist/preload/preload.cjs',
      'dist/renderer/index.html',
    ]) {
      check(entries.has(entry), `app.asar holds ${entry}`);
    }
    for (const dependency of [
      'better-sqlite3',
      'bindings',
      'fastify',
      'avvio',
      'pino',
      'zod',
      '@napi-rs/keyring',
    ]) {
      check(
        entries.has(`node_modules/${dependency}/package.json`),
        `app.asar holds production dependency ${dependency}`,
      );
    }
    for (const devDependency of [
      'electron',
      'electron-builder',
      'vitest',
      'typescript',
      '@electron/fuses',
      'vite',
    ]) {
      check(
        !entries.has(`node_modules/${devDependency}`),
        `app.asar leaves out dev dependency ${devDependency}`,
      );
    }
    for (const source of [
      'main',
      'shared',
      'renderer',
      'test',
      'scripts',
      'build',
      'electron-builder.yml',
      'tsconfig.json',
    ]) {
      check(!entries.has(source), `app.asar leaves out ${source}`);
    }
    check(![...entries].some((entry) => entry.endsWith('.map')), 'app.asar holds no source maps');
    check(
      !entries.has('node_modules/better-sqlite3/deps') &&
        !existsSync(path.join(unpacked, 'better-sqlite3', 'deps')),
      'the package leaves out the SQLite sources',
    );
    check(
      !existsSync(path.join(unpacked, 'better-sqlite3', 'build', 'Release', 'obj.target')),
      'the package leaves out the compiler objects',
    );

    const fuses = (await getCurrentFuseWire(path.join(appOut, 'odoo-sync-console'))) as unknown as Record<
      number,
      number
    >;
    const expected: [FuseV1Options, number][] = [
      [FuseV1Options.RunAsNode, DISABLE],
      [FuseV1Options.EnableCookieEncryption, ENABLE],
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable, DISABLE],
      [FuseV1Options.EnableNodeCliInspectArguments, DISABLE],
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, ENABLE],
      [FuseV1Options.OnlyLoadAppFromAsar, ENABLE],
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot, DISABLE],
      [FuseV1Options.GrantFileProtocolExtraPrivileges, DISABLE],
    ];
    for (const [fuse, state] of expected) {
      check(fuses[fuse] === state, `fuse ${FuseV1Options[fuse]} is ${state === ENABLE ? 'on' : 'off'}`);
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

await main();
const failed = results.filter((result) => !result.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 && results.length > 0 ? 0 : 1;
