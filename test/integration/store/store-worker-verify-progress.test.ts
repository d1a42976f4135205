import { describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { StoreWorkerClient } from '../../../main/store/worker/store-worker-client.js';
import { quietLog, sampleEntries, useTempDataDir } from './temp-data-dir.js';

const temp = useTempDataDir();
const ROWS = 65_000;

describe('audit verification in the store worker, with progress', () => {
  it('reports rows done of total while it walks, ends at the total, and leaves the calling thread free', async () => {
    const store = openStore({ dataDir: temp.dataDir(), log: quietLog });
    for (let from = 1; from <= ROWS; from += 5_000) store.audit.appendMany(sampleEntries(5_000, from));
    store.close();
    const client = new StoreWorkerClient();
    const progress: [number, number][] = [];
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    try {
      const result = await client.verifyAudit(temp.dataDir(), (done, total) => progress.push([done, total]));
      expect(result).toMatchObject({ ok: true, rows: ROWS });
      // Every 20 000 rows, then the end: 20k, 40k, 60k of 65k, and 65k of 65k.
      expect(progress).toEqual([
        [20_000, ROWS],
        [40_000, ROWS],
        [60_000, ROWS],
        [ROWS, ROWS],
      ]);
      // The walk ran on the worker: this thread's timers kept firing meanwhile.
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
      await client.close();
    }
  });
});
