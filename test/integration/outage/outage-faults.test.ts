import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/domain/run.js';
import { until } from '../../support/until.js';
import { finalNames, laterVersions, OutageEnv, patientVersions } from './outage-env.js';

/**
 * Issue 11, "Done when" 1: an Odoo outage in the middle of a run of a real `osc serve` process —
 * connections refused, connections reset, 503s, requests that hang, answers slower than the
 * connection's timeout — opens the connection's breaker and fills the outbox while extraction goes
 * on; once Odoo answers again the breaker's own probe closes it and the outbox drains by itself, and
 * Odoo then holds exactly what a clean run writes: every key once (no record lost, none created
 * twice), each key's versions landed in source order, the newest last. The same with degraded mode
 * switched on by an administrator before the run and off after it: Odoo not called meanwhile.
 *
 * The console's own policy applies (3 failed whole calls open a breaker, the first probe 15 s later),
 * so each case takes about 20-25 s. OSC_OUTAGE_RECORDS (300), OSC_OUTAGE_SEED (random).
 */
const RECORDS = Number(process.env.OSC_OUTAGE_RECORDS ?? 300);
const KEYS = Math.ceil(RECORDS * 0.6);
const BATCH = 20;
const SEED = Number(process.env.OSC_OUTAGE_SEED ?? Math.floor(Math.random() * 1_000_000));
/** The connection's timeout in the timeout cases (the schema's minimum). */
const TIMEOUT_MS = 1000;
const CASE_TIMEOUT_MS = 120_000;

let env: OutageEnv | null = null;
afterEach(async () => {
  await env?.close();
  env = null;
});

interface FaultCase {
  readonly name: string;
  readonly timeoutMs?: number;
  /** Odoo goes wrong, from the next request on. */
  readonly inject: (env: OutageEnv) => Promise<void> | void;
  /** Odoo answers again. */
  readonly recover: (env: OutageEnv) => Promise<void> | void;
  /** Chunks that may land twice: sent, processed by Odoo, but the console never saw the answer. */
  readonly resentChunks: number;
  /**
   * After recovery an administrator's passing Test connection brings the probe forward (instead of
   * the breaker's own first probe 15 s later): the 503 case keeps proving the automatic path.
   */
  readonly testAfterRecovery?: boolean;
}

const CASES: readonly FaultCase[] = [
  {
    name: 'connections refused (Odoo stopped, started again on the same port)',
    testAfterRecovery: true,
    inject: (e) => e.proxy.refuse(),
    recover: (e) => e.proxy.accept(),
    // The refusal cuts the call in flight after Odoo wrote it: its answer is lost.
    resentChunks: 1,
  },
  {
    name: 'connections reset',
    testAfterRecovery: true,
    inject: (e) => void e.odoo.faults.resetNext(100_000),
    recover: (e) => void e.odoo.faults.clear(),
    resentChunks: 0,
  },
  {
    name: 'a 503 outage window',
    inject: (e) => void e.odoo.faults.outage(600_000),
    recover: (e) => void e.odoo.faults.clear(),
    resentChunks: 0,
  },
  {
    name: 'requests that hang past the timeout',
    testAfterRecovery: true,
    timeoutMs: TIMEOUT_MS,
    inject: (e) => void e.odoo.faults.hangNext(100_000),
    recover: (e) => void e.odoo.faults.clear(),
    resentChunks: 0,
  },
  {
    name: 'answers slower than the timeout (Odoo writes, the console gives up waiting)',
    testAfterRecovery: true,
    timeoutMs: TIMEOUT_MS,
    inject: (e) => {
      e.odoo.faults.extraLatencyMs = TIMEOUT_MS * 3;
    },
    recover: (e) => void e.odoo.faults.clear(),
    // Each attempt of the chunk in flight lands in Odoo (4 attempts), and the same chunk once more
    // when the outbox drains; the probe's own calls write nothing.
    resentChunks: 4,
  },
];

const finished = (run: Run | undefined): boolean =>
  run !== undefined && ['succeeded', 'failed', 'interrupted', 'cancelled'].includes(run.status);

/** Odoo holds exactly what a clean run writes; each key's versions landed in order. */
function expectExactlyACleanRun(e: OutageEnv, runs: readonly Run[], resentChunks: number): number {
  const expected = finalNames(e.versions);
  expect(e.odooNames(), 'each key holds its newest version').toEqual(expected);
  expect(e.partnersOfFlow(), 'partners of the flow: one per key, none created twice').toBe(expected.size);
  const landed = e.landed();
  expect(landed.perKey, 'the versions of each key landed once each, in source order').toEqual(
    e.expectedPerKey(),
  );
  expect(landed.repeats, 'writes landed twice in a row (answers lost in flight)').toBeLessThanOrEqual(
    resentChunks * BATCH,
  );
  const outbox = e.outboxByState();
  expect(outbox.waiting ?? 0, 'outbox writes still waiting').toBe(0);
  expect(outbox.failed ?? 0, 'outbox writes that failed').toBe(0);
  const sum = (pick: (run: Run) => number): number => runs.reduce((total, run) => total + pick(run), 0);
  expect(
    sum((run) => run.counts.read),
    'records read over every run',
  ).toBe(e.versions.length);
  expect(sum((run) => run.counts.failed)).toBe(0);
  expect(sum((run) => run.counts.written + (run.counts.drained ?? 0))).toBe(e.versions.length);
  return landed.repeats;
}

describe(`an Odoo outage in the middle of a run of osc serve (${RECORDS} patient versions, ${KEYS} keys, seed ${SEED})`, () => {
  it.each(CASES)(
    '$name: breaker opens, outbox fills, drains after recovery; Odoo exact',
    async (fault) => {
      const started = performance.now();
      env = await OutageEnv.start({
        batchSize: BATCH,
        realLatency: true,
        ...(fault.timeoutMs === undefined ? {} : { timeoutMs: fault.timeoutMs }),
      });
      const e = env;
      e.addVersions(patientVersions(RECORDS, KEYS, SEED));
      // Two chunks land, then Odoo goes wrong from the very next request on.
      const injected = e.whenWritten(2 * BATCH).then(() => fault.inject(e));
      const first = await e.runNow();
      await injected;
      const injectedAt = performance.now();
      await until(
        'the breaker opens',
        async () => ((await e.breakerState()) === 'open' ? true : null),
        30_000,
      );
      const openedAt = performance.now();
      const firstRun = await until(
        'the run ends, its remaining writes in the outbox',
        async () => {
          const run = (await e.runs()).find((candidate) => candidate.id === first.id);
          return finished(run) ? run! : null;
        },
        30_000,
      );
      // Extraction went on: the run read everything and did not fail; what it could not send waits.
      expect(firstRun.status).toBe('succeeded');
      expect(firstRun.counts.read).toBe(RECORDS);
      expect(firstRun.counts.deferred).toBeGreaterThan(0);
      expect(firstRun.counts.written + (firstRun.counts.deferred ?? 0)).toBe(RECORDS);
      const waiting = e.waitingWrites();
      expect(waiting).toBe(firstRun.counts.deferred);
      const reasons = e.sql<{ reason: string }>(
        "SELECT DISTINCT reason FROM outbox_writes WHERE state = 'waiting'",
      );
      expect(reasons.map((row) => row.reason)).toEqual(['breaker']);

      // While the breaker is open, a new run still reads the source: newer versions of keys that wait
      // in the outbox queue behind them, and Odoo is not called.
      const requestsBefore = e.odoo.state.traffic.requests;
      const connectionsBefore = e.proxy.connections;
      e.addVersions(laterVersions(e.versions, 40, SEED + 1, RECORDS));
      const second = await e.runNow();
      const secondRun = await until(
        'the run during the outage ends',
        async () => {
          const run = (await e.runs()).find((candidate) => candidate.id === second.id);
          return finished(run) ? run! : null;
        },
        30_000,
      );
      expect(secondRun).toMatchObject({
        status: 'succeeded',
        counts: { read: 40, written: 0, deferred: 40 },
      });
      expect(e.waitingWrites()).toBe(waiting + 40);
      expect(e.odoo.state.traffic.requests - requestsBefore, 'requests that reached Odoo while open').toBe(0);
      if (fault.name.startsWith('connections refused')) expect(e.proxy.connections).toBe(connectionsBefore);

      await fault.recover(e);
      const recoveredAt = performance.now();
      if (fault.testAfterRecovery === true) {
        const test = await e.console.operators.admin.value('connections.test', {
          id: e.flow.targetConnectionId,
        });
        expect(test.ok, test.summary).toBe(true);
      }
      const runs = await e.settled(60_000);
      const drainedAt = performance.now();
      expect(await e.breakerState()).toBe('closed');
      const drain = runs.find((run) => run.trigger === 'resume');
      expect(drain, 'a drain queued by the probe that closed the breaker').toBeDefined();
      expect(drain!.status).toBe('succeeded');
      expect(drain!.counts.drained).toBe(waiting + 40);
      const repeats = expectExactlyACleanRun(e, runs, fault.resentChunks);
      console.log(
        `outage-faults ${JSON.stringify({
          case: fault.name,
          seed: SEED,
          deferred: waiting + 40,
          repeats,
          injectToOpenMs: Math.round(openedAt - injectedAt),
          recoverToDrainedMs: Math.round(drainedAt - recoveredAt),
          totalMs: Math.round(performance.now() - started),
        })}`,
      );
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'degraded mode switched on by an administrator before the run and off after it: Odoo never called meanwhile, then exact',
    async () => {
      const started = performance.now();
      env = await OutageEnv.start({ batchSize: BATCH, realLatency: true });
      const e = env;
      e.addVersions(patientVersions(RECORDS, KEYS, SEED));
      const { admin } = e.console.operators;
      await admin.value('outages.degrade', {
        connectionId: e.odooConnectionId,
        reason: 'Odoo upgrade tonight (outage test)',
      });
      const requestsBefore = e.odoo.state.traffic.requests;
      const first = await e.runNow();
      const run = await until(
        'the run in degraded mode ends',
        async () => {
          const found = (await e.runs()).find((candidate) => candidate.id === first.id);
          return finished(found) ? found! : null;
        },
        30_000,
      );
      expect(run).toMatchObject({
        status: 'succeeded',
        counts: { read: RECORDS, written: 0, deferred: RECORDS },
      });
      expect(e.waitingWrites()).toBe(RECORDS);
      const reasons = e.sql<{ reason: string }>('SELECT DISTINCT reason FROM outbox_writes');
      expect(reasons.map((row) => row.reason)).toEqual(['degraded']);
      // A few supervise and probe rounds pass: still nothing sent while degraded.
      await sleep(6000);
      expect(e.waitingWrites()).toBe(RECORDS);
      expect(
        e.odoo.state.traffic.requests - requestsBefore,
        'requests that reached Odoo while degraded',
      ).toBe(0);
      expect(await e.breakerState()).toBe('closed');

      const restored = await admin.value('outages.restore', { connectionId: e.odooConnectionId });
      const restoredAt = performance.now();
      const runs = await e.settled(60_000);
      const drainedAt = performance.now();
      const drain = runs.find((candidate) => candidate.trigger === 'resume');
      expect(drain?.status).toBe('succeeded');
      expect(drain?.counts.drained).toBe(RECORDS);
      expect(restored.drainRunIds).toContain(drain?.id);
      const repeats = expectExactlyACleanRun(e, runs, 0);
      expect(repeats).toBe(0);
      console.log(
        `outage-faults ${JSON.stringify({
          case: 'degraded mode',
          seed: SEED,
          deferred: RECORDS,
          restoreToDrainedMs: Math.round(drainedAt - restoredAt),
          totalMs: Math.round(performance.now() - started),
        })}`,
      );
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'degraded mode switched off in the middle of a run: the rest of that run still waits behind the outbox (key order), then exact',
    async () => {
      env = await OutageEnv.start({ batchSize: BATCH, realLatency: true });
      const e = env;
      e.addVersions(patientVersions(RECORDS, KEYS, SEED));
      // The EHR answers slowly, so the run is still reading when degraded mode goes off.
      e.fhir.faults.latencyMs = 150;
      const { admin } = e.console.operators;
      await admin.value('outages.degrade', { connectionId: e.odooConnectionId, reason: 'mid-run switch' });
      const first = await e.runNow();
      await until(
        'a third of the run waits in the outbox',
        () => (e.waitingWrites() >= RECORDS / 3 ? true : null),
        30_000,
      );
      await admin.value('outages.restore', { connectionId: e.odooConnectionId });
      const runs = await e.settled(60_000);
      const run = runs.find((candidate) => candidate.id === first.id);
      expect(run?.status).toBe('succeeded');
      // Once it deferred, the run deferred to its end: none of its records overtook the outbox.
      expect(run?.counts).toMatchObject({ read: RECORDS, written: 0, deferred: RECORDS });
      expectExactlyACleanRun(e, runs, 0);
    },
    CASE_TIMEOUT_MS,
  );
});
