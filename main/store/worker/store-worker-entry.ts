import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export type WorkerEntry =
  { readonly kind: 'built'; readonly file: string } | { readonly kind: 'source'; readonly file: string };

/**
 * Finds the worker script next to this module. Bundled (dist/main/, or dist/main/chunks/ when the
 * client lands in a shared chunk) it is the built `store-worker.cjs`; from the sources (vitest, tsx)
 * it is `store-worker.ts`.
 */
export function resolveStoreWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  const here = dirname(fileURLToPath(moduleUrl));
  for (const built of [join(here, 'store-worker.cjs'), join(here, '..', 'store-worker.cjs')]) {
    if (existsSync(built)) return { kind: 'built', file: built };
  }
  const source = join(here, 'store-worker.ts');
  if (existsSync(source)) return { kind: 'source', file: source };
  throw new Error(
    `The store worker script is missing: looked for store-worker.cjs and store-worker.ts in ${here}`,
  );
}

export function startStoreWorker(
  entry: WorkerEntry = resolveStoreWorkerEntry(),
  options: Pick<WorkerOptions, 'resourceLimits'> = {},
): Worker {
  if (entry.kind === 'built') return new Worker(entry.file, options);
  // Node 20 does not apply `--import tsx` from a worker's execArgv to the worker's own entry
  // ("Unknown file extension .ts", measured on 20.20), so a tiny bootstrap registers tsx's loader
  // inside the worker first and then imports the TypeScript entry. Sources-only: dist never gets here.
  const bootstrap =
    `import(${JSON.stringify(tsxApiUrl())})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(entry.file).href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** tsx's ESM API module, found through its package.json so the bootstrap does not depend on the cwd. */
function tsxApiUrl(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } } | undefined>;
  };
  const relative = manifest.exports?.['./esm/api']?.import?.default;
  if (relative === undefined)
    throw new Error('tsx does not export ./esm/api; cannot run the store worker from sources');
  return pathToFileURL(join(dirname(packageJson), relative)).href;
}
