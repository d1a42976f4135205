import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/domain/run.js';
import { seededRandom } from '../../real-odoo/crash-resume-env.js';
import { until } from '../../support/until.js';
import { finalNames, OutageEnv, patientVersions } from './outage-env.js';

/**
 * Issue 11, "Done when" 2: SIGKILL of the serving process at random moments while the outbox drains.
 * An administrator switches Odoo to degraded mode, a run reads ~2,000 patient versions (repeated
 * keys: the order of each key's versions matters) into the outbox, degraded mode is switched off and
 * the drain starts; `osc serve` is SIGKILLed OSC_DRAIN_KILLS times (10) at random moments of the drain,
 * each time after the previous restart made progress, and started again on the same data folder. At
 * the end every outbox write is settled, Odoo holds exactly what a clean run writes (each key's
 * versions landed in source order, newest last, no partner twice), only writes in flight at a kill
 * landed twice (at most kills × batch), the store passes PRAGMA integrity_check and
 * `osc verify-audit`.
 *
 *   OSC_DRAIN_KILLS (10), OSC_DRAIN_RECORDS (2000), OSC_DRAIN_BATCH (50), OSC_DRAIN_SEED (random)
 */
const KILLS = Number(process.env.OSC_DRAIN_KILLS ?? 10);
const RECORDS = Number(process.env.OSC_DRAIN_RECORDS ?? 2000);
const BATCH = Number(process.env.OSC_DRAIN_BATCH ?? 50);
const KEYS = Math.ceil(RECORDS * 0.6);
const SEED = Number(process.env.OSC_DRAIN_SEED ?? Math.floor(Math.random() * 1_000_000));
const BUDGET_MS = 60_000 + KILLS * 10_000 + RECORDS * 10;

let env: OutageEnv | null = null;
afterAll(async () => {
  await env?.close();
});

/** Outbox writes settled so far (sent or unchanged). */
const settledCount = (e: OutageEnv): number => {
  const states = e.outboxByState();
  return (states.sent ?? 0) + (states.unchanged ?? 0) + (states.failed ?? 0);
};

describe(`SIGKILL of osc serve ${KILLS} times while ${RECORDS} outbox writes drain (seed ${SEED})`, () => {
  it(
    'settles every write once, Odoo exact and in key order, store intact',
    { timeout: BUDGET_MS + 60_000 },
    async () => {
      const started = performance.now();
      // One deadline for every wait, so a drain that stops says in which wait it stopped.
      const deadline = Date.now() + BUDGET_MS;
      const left = (most: number): number => Math.max(1000, Math.min(most, deadline - Date.now()));
      const random = seededRandom(SEED);
      env = await OutageEnv.start({ batchSize: BATCH, realLatency: true });
      const e = env;
      const { admin } = e.console.operators;
      await admin.value('outages.degrade', { connectionId: e.odooConnectionId, reason: 'drain kill test' });
      e.addVersions(patientVersions(RECORDS, KEYS, SEED));
      const filling = await e.runNow();
      await until(
        'the outbox fills',
        async () => {
          const run = (await e.runs()).find((candidate) => candidate.id === filling.id);
          return run?.status === 'succeeded' ? run : null;
        },
        left(60_000),
      );
      expect(e.waitingWrites()).toBe(RECORDS);
      expect(e.writes).toHaveLength(0);
      const filledAt = performance.now();

      await admin.value('outages.restore', { connectionId: e.odooConnectionId });
      const kills: { settledAtKill: number; restartMs: number; progressMs: number }[] = [];
      let settled = await until(
        'the drain sends its first chunk',
        () => (settledCount(e) > 0 ? settledCount(e) : null),
        left(30_000),
      );
      for (let kill = 1; kill <= KILLS; kill += 1) {
        // Somewhere in the next slice of what is left, leaving room for the kills after it.
        const rate = settled / Math.max(0.001, (performance.now() - filledAt) / 1000);
        const sliceMs = Math.min(
          1500,
          Math.max(100, ((RECORDS - settled) / rate / (KILLS - kill + 2)) * 1000),
        );
        await sleep(random() * sliceMs);
        const atKill = settledCount(e);
        expect(atKill, `kill ${kill} lands while writes still wait`).toBeLessThan(RECORDS);
        const killedAt = performance.now();
        await e.console.kill();
        await e.console.start();
        const restartMs = performance.now() - killedAt;
        // The restarted console drains on by itself (its engine resumes the interrupted drain).
        settled = await until(
          `progress after kill ${kill}`,
          () => (settledCount(e) > atKill ? settledCount(e) : null),
          left(30_000),
        );
        kills.push({ settledAtKill: atKill, restartMs, progressMs: performance.now() - killedAt });
      }

      const runs: readonly Run[] = await e.settled(left(BUDGET_MS));
      const drainedAt = performance.now();
      await e.console.stop();

      // Every outbox write settled, none failed, none waiting.
      const states = e.outboxByState();
      expect(states.waiting ?? 0).toBe(0);
      expect(states.failed ?? 0).toBe(0);
      expect((states.sent ?? 0) + (states.unchanged ?? 0)).toBe(RECORDS);
      // Odoo exactly as after a clean run: the newest version per key, one partner per key, and each
      // key's versions landed in the order they were read.
      const expected = finalNames(e.versions);
      expect(e.odooNames()).toEqual(expected);
      expect(e.partnersOfFlow()).toBe(expected.size);
      const landed = e.landed();
      expect(landed.perKey).toEqual(e.expectedPerKey());
      expect(landed.repeats, 'writes landed again after a kill: kills × batch at most').toBeLessThanOrEqual(
        KILLS * BATCH,
      );
      expect(runs.reduce((total, run) => total + run.counts.failed, 0)).toBe(0);
      expect(e.integrity()).toBe('ok');
      const audit = await e.osc(['verify-audit', '--data-dir', e.temp.dir]);
      expect(audit.output).toMatch(/^audit log OK/);
      expect(audit.code).toBe(0);

      console.log(
        `outbox-drain-kill ${JSON.stringify({
          seed: SEED,
          records: RECORDS,
          keys: expected.size,
          batch: BATCH,
          kills: kills.length,
          sent: states.sent ?? 0,
          unchanged: states.unchanged ?? 0,
          landedTwice: landed.repeats,
          writesLanded: e.writes.length,
          settledAtKills: kills.map((k) => k.settledAtKill),
          restartMs: kills.map((k) => Math.round(k.restartMs)),
          progressMs: kills.map((k) => Math.round(k.progressMs)),
          fillMs: Math.round(filledAt - started),
          drainMs: Math.round(drainedAt - filledAt),
          totalMs: Math.round(performance.now() - started),
          runs: runs.map(
            (run) => `${run.trigger}:${run.status}:r${run.counts.read}/d${run.counts.drained ?? 0}`,
          ),
        })}`,
      );
    },
  );
});
