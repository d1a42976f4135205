import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../shared/domain/flow.js';
import { FINISHED_RUN_STATUSES, type Run } from '../../shared/domain/run.js';
import { spawnEmulators, type EmulatorsProcess } from '../peers/demo/spawn-emulators.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { makeTempDir } from '../support/temp-dir.js';
import { CrashConsole, seedInvoiceFlow } from './crash-resume-env.js';
import { startCountingProxy, type CountingProxy } from './crash-resume-proxy.js';

/**
 * Real Odoo stops in the middle of a run (issue 11): the console's circuit breaker for it opens, the
 * run reads on and puts the rest of its mapped invoices into the durable outbox instead of failing;
 * Odoo starts again, an administrator's passing Test connection makes the engine probe it at once,
 * the breaker closes and the outbox drains by itself. Read back from Odoo as admin: every invoice
 * exactly once, and on the wire no invoice sent more than once beyond the batch in flight at the stop.
 *
 *   OSC_OUTAGE_RECORDS (400), OSC_OUTAGE_BATCH (50)
 */
const RECORDS = Number(process.env.OSC_OUTAGE_RECORDS ?? 400);
const BATCH = Number(process.env.OSC_OUTAGE_BATCH ?? 50);
const MODULE = 'osc_outage';
const BUDGET_MS = 180_000;
const POLL_MS = 200;

const fhirToken = randomBytes(20).toString('hex');
const temp = makeTempDir('osc-outage-');
let odoo: RealOdoo;
let emulators: EmulatorsProcess;
let console_: CrashConsole;
let flow: Flow;
let proxy: CountingProxy;
const started: {
  odoo?: RealOdoo;
  proxy?: CountingProxy;
  emulators?: EmulatorsProcess;
  console?: CrashConsole;
} = {};

beforeAll(async () => {
  odoo = started.odoo = await startRealOdoo();
  proxy = started.proxy = await startCountingProxy(odoo.url);
  emulators = started.emulators = await spawnEmulators({
    odooApiKey: randomBytes(20).toString('hex'),
    fhirToken,
    bulkChargeItems: RECORDS,
    fhirSeed: 'empty',
    maxCount: Math.max(BATCH, 100),
  });
  console_ = started.console = new CrashConsole(temp.dir);
  await console_.start(true);
  flow = await seedInvoiceFlow(console_.operators, {
    odoo: {
      url: proxy.url,
      database: odoo.database,
      login: odoo.integration.login,
      key: odoo.integration.key,
      module: MODULE,
    },
    fhir: { url: emulators.fhirUrl, token: fhirToken },
    batchSize: BATCH,
  });
});

afterAll(async () => {
  await started.console?.stop();
  await started.proxy?.close();
  await started.emulators?.close();
  await started.odoo?.stop();
  temp.cleanup();
});

const runsOfFlow = (): Promise<readonly Run[]> =>
  console_.operators.it.value('runs.list', { flowId: flow.id, limit: 50 });

async function until<T>(deadline: number, what: string, probe: () => Promise<T | null>): Promise<T> {
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) {
      const runs = await runsOfFlow().catch(() => []);
      throw new Error(
        `${what}: still waiting at the deadline. Runs: ${JSON.stringify(runs.map((run) => [run.status, run.trigger, run.counts, run.error]))}\n${console_.logTail()}`,
      );
    }
    await sleep(POLL_MS);
  }
}

describe(`real Odoo stopped in the middle of a ${RECORDS}-invoice run`, () => {
  it(
    'opens the breaker, fills the outbox, drains it once Odoo is back: every invoice once',
    { timeout: BUDGET_MS + 30_000 },
    async () => {
      const deadline = Date.now() + BUDGET_MS;
      const { it: itStaff, admin } = console_.operators;
      const first = await itStaff.value('flows.runNow', { id: flow.id });
      await until(deadline, 'two batches written', async () => {
        const run = await itStaff.value('runs.get', { id: first.id });
        return run.counts.written >= 2 * BATCH ? run : null;
      });

      // Odoo stops (a clean shutdown, as an upgrade or a crash of its host would look from here).
      await odoo.process().stop();
      const deferredRun = await until(deadline, 'the run to finish while Odoo is down', async () => {
        const run = await itStaff.value('runs.get', { id: first.id });
        return FINISHED_RUN_STATUSES.includes(run.status) ? run : null;
      });
      expect(deferredRun.status, deferredRun.error ?? '').toBe('succeeded');
      expect(deferredRun.counts.read).toBe(RECORDS);
      expect(deferredRun.counts.deferred ?? 0).toBeGreaterThan(0);
      expect(deferredRun.counts.written + (deferredRun.counts.deferred ?? 0)).toBe(RECORDS);
      const down = await admin.value('outages.overview', {});
      const odooConnection = down.connections.find(
        (connection) => connection.connectionId === flow.targetConnectionId,
      );
      expect(odooConnection?.breaker?.state).toBe('open');
      expect(down.exposure.waiting).toBe(deferredRun.counts.deferred);
      expect(down.exposure.down.map((entry) => entry.why)).toEqual(['breaker']);
      expect(down.exposure.oldestQueuedAt).not.toBeNull();

      // Odoo is back; the administrator tests the connection, which brings the probe forward.
      await odoo.restart();
      const test = await admin.value('connections.test', { id: flow.targetConnectionId });
      expect(test.ok, test.summary).toBe(true);
      const drained = await until(deadline, 'the outbox to drain', async () => {
        const overview = await admin.value('outages.overview', {});
        const runs = await runsOfFlow();
        const settled = runs.every((run) => FINISHED_RUN_STATUSES.includes(run.status));
        return overview.exposure.waiting === 0 && overview.exposure.down.length === 0 && settled
          ? runs
          : null;
      });
      const drain = drained.find((run) => (run.counts.drained ?? 0) > 0);
      expect(drain?.status).toBe('succeeded');
      expect(drain?.counts.drained).toBe(deferredRun.counts.deferred);
      const sent = await admin.value('outbox.list', { flowId: flow.id, state: 'sent', limit: 500 });
      expect(sent).toHaveLength(Math.min(500, deferredRun.counts.deferred ?? 0));

      // Every invoice exactly once in Odoo (read as admin: the integration user cannot read ir.model.data).
      const xmlIds = await odoo.adminRpc.searchRead(
        'ir.model.data',
        [['module', '=', MODULE]],
        ['name', 'model'],
      );
      const moves = xmlIds.filter((row) => row.model === 'account.move').map((row) => String(row.name));
      expect(moves).toHaveLength(RECORDS);
      expect(new Set(moves).size).toBe(RECORDS);
      expect(await odoo.adminRpc.searchCount('account.move', [['move_type', '=', 'out_invoice']])).toBe(
        RECORDS,
      );

      // On the wire: every invoice sent, none created twice; only the batch in flight when Odoo stopped
      // may have gone out again (the outbox sends each waiting write once).
      const wire = proxy.writes('account.move');
      const totalSent = [...wire.sent.values()].reduce((total, times) => total + times, 0);
      console.log(
        `outage-replay: ${RECORDS} invoices, ${deferredRun.counts.written} written before the stop, ${deferredRun.counts.deferred} through the outbox, ${totalSent} sent on the wire (${wire.rolledBack} rolled back)`,
      );
      const createdTwice = [...wire.idsOf].filter(([, ids]) => ids.size > 1).map(([key]) => key);
      expect(createdTwice).toEqual([]);
      expect(totalSent - wire.rolledBack).toBeLessThanOrEqual(RECORDS + BATCH);

      // Audited: the breaker's transitions.
      const audit = await admin.value('audit.list', { action: 'connection.breaker-closed', limit: 5 });
      expect(audit.entries.length).toBeGreaterThan(0);
    },
  );
});
