import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCredentials } from '../../shared/domain/connection-credentials.js';
import { flowDefinitionSchema, type Flow, type FlowDefinition } from '../../shared/domain/flow.js';
import { FINISHED_RUN_STATUSES, type Run } from '../../shared/domain/run.js';
import { spawnEmulators, type EmulatorsProcess } from '../peers/demo/spawn-emulators.js';
import { psql } from '../peers/real-odoo/postgres.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { readStage } from '../peers/real-odoo/stage.js';
import { makeTempDir } from '../support/temp-dir.js';
import { CrashConsole, seedInvoiceFlow } from './crash-resume-env.js';

/**
 * The integration key stops working while the console runs: on Odoo 19 it expires (a
 * non-administrator's key must, within a day by default), on Odoo 17 it is revoked. Through the
 * running `osc serve`: Test connection leaves "expires in N hours" on the connection (19); the next
 * run stops at its first write with the refusal — no failure per record, nothing written, no retry —
 * the connection is held so the every-second schedule does not start run after run; a new secret
 * lifts the hold and the scheduled run lands every record exactly once.
 */
const RECORDS = 30;
const BATCH = 10;
const MODULE = 'osc_keyx';
const fhirToken = randomBytes(20).toString('hex');
const temp = makeTempDir('osc-key-refused-');
const started: { odoo?: RealOdoo; emulators?: EmulatorsProcess; console?: CrashConsole } = {};
let odoo: RealOdoo;
let console_: CrashConsole;
let flow: Flow;

beforeAll(async () => {
  odoo = started.odoo = await startRealOdoo();
  const emulators = (started.emulators = await spawnEmulators({
    odooApiKey: randomBytes(20).toString('hex'),
    fhirToken,
    bulkChargeItems: RECORDS,
    fhirSeed: 'empty',
    maxCount: BATCH,
  }));
  console_ = started.console = new CrashConsole(temp.dir);
  await console_.start(true);
  flow = await seedInvoiceFlow(console_.operators, {
    odoo: {
      url: odoo.url,
      database: odoo.database,
      login: odoo.integration.login,
      key: odoo.integration.key,
      module: MODULE,
    },
    fhir: { url: emulators.fhirUrl, token: fhirToken },
    batchSize: BATCH,
  });
}, 120_000);

afterAll(async () => {
  await started.console?.stop();
  await started.emulators?.close();
  await started.odoo?.stop();
  temp.cleanup();
});

const json2 = (): boolean => Number.parseFloat(odoo.series) >= 19;
const keyIndex = (): string => odoo.integration.key.slice(0, 8);

/** 19: the key's expiry moves into the past (or back); 17 has no expiry: the key is revoked (or restored). */
function setKeyWorking(working: boolean): void {
  const login = odoo.integration.login.replace(/'/g, "''");
  const owner = `user_id = (SELECT id FROM res_users WHERE login = '${login}')`;
  const sql = json2()
    ? `UPDATE res_users_apikeys SET expiration_date = (now() at time zone 'utc') ${working ? "+ interval '20 hours'" : "- interval '1 minute'"} WHERE ${owner}`
    : `UPDATE res_users_apikeys SET index = '${working ? keyIndex() : '00000000'}' WHERE ${owner}`;
  psql(readStage().pg, sql, odoo.database);
}

const runs = (): Promise<readonly Run[]> =>
  console_.operators.it.value('runs.list', { flowId: flow.id, limit: 50 });

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms\n${console_.logTail(3000)}`);
    await sleep(200);
  }
}

const invoicesInOdoo = (): Promise<number> =>
  odoo.adminRpc.searchCount('account.move', [['move_type', '=', 'out_invoice']]);

describe('an integration key that stops working while the console runs', () => {
  it('Test connection leaves the key expiry on the connection (19 only)', async () => {
    const { it: operator } = console_.operators;
    const result = await operator.value('connections.test', { id: flow.targetConnectionId });
    expect(result.ok, result.summary).toBe(true);
    const connection = await operator.value('connections.get', { id: flow.targetConnectionId });
    const notice = describeCredentials(connection.credentials, new Date());
    if (json2()) {
      expect(notice?.tone).toBe('warning');
      expect(notice?.text).toMatch(/^expires in (19|20|21|22|23) hours$/);
    } else {
      expect(connection.credentials.keyExpiresAt).toBeNull(); // JSON-RPC: no expiry to read
      expect(notice).toBeNull();
    }
  });

  it(
    'stops the run at the refusal, holds the schedule, and lands every record once with a new secret',
    { timeout: 120_000 },
    async () => {
      const { it: operator, admin } = console_.operators;
      setKeyWorking(false);
      const first = await operator.value('flows.runNow', { id: flow.id });
      const failed = await until('the refused run to end', 30_000, async () => {
        const run = (await runs()).find((candidate) => candidate.id === first.id);
        return run !== undefined && FINISHED_RUN_STATUSES.includes(run.status) ? run : null;
      });
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/^odoo\.[\w.-]+: .*(API key|login).*wait until its secret is replaced/s);
      expect(failed.error).not.toMatch(/Traceback|File "/);
      expect(failed.counts).toMatchObject({ written: 0, failed: 0 });
      expect(await operator.value('runs.failures', { id: failed.id, afterId: 0, limit: 10 })).toEqual([]);
      expect(await invoicesInOdoo()).toBe(0);

      const held = await operator.value('connections.get', { id: flow.targetConnectionId });
      expect(held.credentials.refused).not.toBeNull();
      expect(describeCredentials(held.credentials, new Date())?.text).toBe('refused');
      const audit = await admin.value('audit.list', { action: 'connection.credentials-refused', limit: 5 });
      expect(audit.entries.map((entry) => entry.target)).toEqual([failed.id]);

      // Every second by schedule: while the connection is held, not one more run starts.
      const definition = Object.fromEntries(
        Object.keys(flowDefinitionSchema.shape).map((key) => [key, flow[key as keyof Flow]]),
      ) as FlowDefinition;
      await operator.value('flows.update', {
        id: flow.id,
        definition: { ...definition, schedule: { kind: 'cron', expression: '* * * * * *' } },
      });
      await sleep(3500);
      expect((await runs()).map((run) => run.id)).toEqual([failed.id]);

      // The administrator makes the key work again in Odoo and saves it: the hold lifts by itself.
      setKeyWorking(true);
      await operator.value('connections.setSecret', {
        id: flow.targetConnectionId,
        secret: odoo.integration.key,
      });
      await until('a scheduled run to land every record', 60_000, async () =>
        (await runs()).some(
          (run) => run.trigger === 'schedule' && run.status === 'succeeded' && run.counts.written === RECORDS,
        )
          ? true
          : null,
      );
      await operator.value('flows.setEnabled', { id: flow.id, enabled: false });
      await until('the flow to be idle', 30_000, async () =>
        (await runs()).every((run) => FINISHED_RUN_STATUSES.includes(run.status)) ? true : null,
      );
      expect(await invoicesInOdoo()).toBe(RECORDS);
      const written = (await runs()).reduce((sum, run) => sum + run.counts.written, 0);
      expect(written).toBe(RECORDS);
      expect(
        (await operator.value('connections.get', { id: flow.targetConnectionId })).credentials.refused,
      ).toBeNull();
    },
  );
});
