import { afterAll, describe, expect, it } from 'vitest';
import { FINISHED_RUN_STATUSES } from '../../../shared/domain/run.js';
import { until } from '../../support/until.js';
import { seedBatchHistory, watchAnomalies } from './anomaly-history-seed.js';
import { OutageEnv, patientVersions } from './outage-env.js';

/**
 * Anomaly holds (issue 12) across a SIGKILL: a watched flow's run stages its writes in the outbox
 * page by page and judges them only once the source is read. `osc serve` is SIGKILLed in between:
 * the FHIR server answers each page after 300 ms, the kill lands once half the 10× batch is staged,
 * and the test checks it landed in that window (the run unfinished, no judgement recorded). The
 * restarted console must not post those staged writes unjudged: they are judged (held, 5× the
 * median), nothing reaches Odoo, and a release sends them all.
 */
const RECORDS = 200;
const HISTORY = [18, 20, 22, 19, 21, 20, 20, 23];

let env: OutageEnv | null = null;
afterAll(async () => {
  await env?.close();
});

describe('SIGKILL between staging a watched batch and judging it', () => {
  it(
    'the restarted console judges the staged writes and holds them; none is posted unjudged',
    { timeout: 120_000 },
    async () => {
      env = await OutageEnv.start({ batchSize: 20 });
      const e = env;
      const { admin } = e.console.operators;
      const id = e.flow.id;
      await watchAnomalies(e, { minHistory: 8, threshold: 3.5 });
      // The flow's history: eight batches of about 20 (today's weekday, and month ends).
      seedBatchHistory(e.temp.dir, id, HISTORY);

      e.fhir.faults.latencyMs = 300;
      e.addVersions(patientVersions(RECORDS, RECORDS, 7));
      const run = await e.runNow();
      await until('half the batch is staged', () => (e.waitingWrites() >= RECORDS / 2 ? true : null), 30_000);
      await e.console.kill();
      // The kill landed in the window: the run unfinished, part of its batch staged, none judged.
      const staged = e.waitingWrites();
      expect(staged).toBeGreaterThanOrEqual(RECORDS / 2);
      expect(staged).toBeLessThan(RECORDS);
      expect(e.sql('SELECT 1 FROM anomaly_batches WHERE run_id = ?', run.id)).toEqual([]);
      expect(e.sql<{ status: string }>('SELECT status FROM runs WHERE id = ?', run.id)[0]?.status).toBe(
        'running',
      );
      expect(e.writes).toHaveLength(0);

      e.fhir.faults.latencyMs = 0;
      await e.console.start();
      const runs = await until(
        'the resumed flow finishes',
        async () => {
          const all = await e.runs().catch(() => null);
          if (all === null || all.length < 2) return null;
          return all.every((one) => FINISHED_RUN_STATUSES.includes(one.status)) ? all : null;
        },
        60_000,
      );
      // Nothing reached Odoo: the killed run's staged writes were judged and held, not drained.
      expect(
        e.writes,
        `runs ${JSON.stringify(runs.map((r) => [r.trigger, r.status, r.counts]))}`,
      ).toHaveLength(0);
      const held = await admin.value('holds.list', { state: 'held' });
      const killedRunHold = held.find((hold) => hold.runId === run.id);
      expect(killedRunHold?.size).toBe(staged);
      expect(killedRunHold?.explanation).toMatch(/× the median of the last 8/);
      expect(held.reduce((sum, hold) => sum + hold.size, 0)).toBe(RECORDS);

      for (const hold of held)
        await admin.value('holds.release', { id: hold.id, reason: 'Kill test: expected volume' });
      await until('the released writes reach Odoo', () => (e.writes.length >= RECORDS ? true : null), 60_000);
      expect(e.partnersOfFlow()).toBe(RECORDS);
    },
  );
});
