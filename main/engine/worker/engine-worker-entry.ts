import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startStoreWorker, type WorkerEntry } from '../../store/worker/store-worker-entry.js';

/**
 * Finds the engine worker script: bundled, `engine-worker.cjs` beside (or above, from a chunk) this
 * module in dist/main/; from the sources (vitest, tsx), `engine-worker.ts` in this folder.
 */
export function resolveEngineWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  const here = dirname(fileURLToPath(moduleUrl));
  for (const built of [join(here, 'engine-worker.cjs'), join(here, '..', 'engine-worker.cjs')]) {
    if (existsSync(built)) return { kind: 'built', file: built };
  }
  const source = join(here, 'engine-worker.ts');
  if (existsSync(source)) return { kind: 'source', file: source };
  throw new Error(
    `The engine worker script is missing: looked for engine-worker.cjs and engine-worker.ts in ${here}`,
  );
}

/**
 * Without a limit V8 lets the worker's heap grow to about 4x its live data before collecting hard
 * (flow-e2e at 100k records: ≈ 320 MB peak RSS); 512 MB, ≈ 15x the measured live data, keeps the
 * peak near 255 MB for ≈ 5% throughput. A worker that still runs out is restarted by EngineClient.
 */
export const ENGINE_WORKER_HEAP_MB = 512;

/** The store worker's starter works for any worker entry (it registers tsx when running from sources). */
export function startEngineWorker(entry: WorkerEntry = resolveEngineWorkerEntry()): Worker {
  return startStoreWorker(entry, { resourceLimits: { maxOldGenerationSizeMb: ENGINE_WORKER_HEAP_MB } });
}
