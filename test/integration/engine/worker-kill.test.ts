import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../main/engine/worker/engine-client.js';
import type { OdooSettings } from '../../../shared/domain/connection.js';
import { bulkChargesMapping } from '../../peers/demo/demo-mappings.js';
import { seedStore, type SeededStore, type StoreSeed } from '../../peers/demo/seed-store.js';
import { startFhirEmulator, type FhirEmulator } from '../../peers/fhir/index.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Kills the engine worker at random points of a run, 20 times, and proves that after the restart
 * (which resumes the interrupted run from its last durable batch) every record is in Odoo exactly
 * once: zero lost, zero duplicated. Each trial writes into its own fresh Odoo emulator.
 */
const TRIALS = 20;
const RECORDS = 600;
const BATCH = 50;

const odooKey = randomBytes(20).toString('hex');
const fhirToken = randomBytes(20).toString('hex');

function odooSettings(url: string): OdooSettings {
  return {
    kind: 'odoo',
    baseUrl: url,
    database: 'odoo17',
    login: 'admin',
    authMethod: 'api-key',
    protocol: 'auto',
    externalIdModule: 'osc_sync',
    allowInsecureHttp: true,
    maxConcurrentCalls: 2,
    maxCallsPerSecond: 100,
    timeoutMs: 30_000,
  };
}

describe('killing the engine worker mid-run loses and duplicates nothing', () => {
  const temp = makeTempDir('osc-kill-');
  let fhir: FhirEmulator;
  const odoos: OdooEmulator[] = [];
  let seeded: SeededStore;
  let engine: EngineClient;
  let db: Database.Database;

  beforeAll(async () => {
    fhir = await startFhirEmulator({ auth: { bearer: fhirToken }, seed: 'empty', bulkChargeItems: RECORDS });
    for (let trial = 0; trial <= TRIALS; trial += 1)
      odoos.push(await startOdooEmulator({ apiKeys: [{ key: odooKey }] }));
    const seed: StoreSeed = {
      connections: {
        ehr: {
          kind: 'fhir',
          baseUrl: fhir.url,
          authMethod: 'bearer',
          username: '',
          allowInsecureHttp: true,
          pageSize: BATCH,
          overlapSeconds: 120,
          timeoutMs: 30_000,
        },
        ...Object.fromEntries(odoos.map((odoo, trial) => [`odoo-${trial}`, odooSettings(odoo.url)])),
      },
      mappings: { charges: bulkChargesMapping },
      flows: Object.fromEntries(
        odoos.map((_, trial) => [
          `trial-${trial}`,
          {
            source: 'ehr',
            sourceSelector: { resourceType: 'ChargeItem' },
            target: `odoo-${trial}`,
            targetOperation: { model: 'account.move' },
            mapping: 'charges',
            batchSize: BATCH,
          },
        ]),
      ),
    };
    seeded = seedStore(temp.dir, seed);
    const ehrId = seeded.connectionIds.ehr;
    engine = new EngineClient({
      dataDir: temp.dir,
      secrets: { read: (id) => Promise.resolve(id === ehrId ? fhirToken : odooKey) },
      publish: () => undefined,
      restartDelayMs: 50,
      log: (message) => console.error('ENGINE', message),
    });
    await engine.start();
    db = new Database(join(temp.dir, 'osc.sqlite'), { readonly: true });
  }, 60_000);

  afterAll(async () => {
    db.close();
    await engine.close();
    await Promise.all([fhir.close(), ...odoos.map((odoo) => odoo.close())]);
    temp.cleanup();
  });

  const unfinished = (flowId: string): number =>
    db
      .prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM runs WHERE flow_id = ? AND status IN ('queued', 'running', 'paused')",
      )
      .get(flowId)!.n;
  const committed = (flowId: string): number =>
    db
      .prepare<[string], { n: number | null }>('SELECT sum(read_count) AS n FROM runs WHERE flow_id = ?')
      .get(flowId)!.n ?? 0;
  const succeeded = (flowId: string): number =>
    db
      .prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM runs WHERE flow_id = ? AND status = 'succeeded'",
      )
      .get(flowId)!.n;

  async function settle(flowId: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (Date.now() > deadline) {
        const runs = db
          .prepare('SELECT status, trigger, error, read_count, written_count FROM runs WHERE flow_id = ?')
          .all(flowId);
        throw new Error(`flow ${flowId} did not settle: ${JSON.stringify(runs)}`);
      }
      let ready = false;
      try {
        await engine.call('status', {});
        ready = true;
      } catch {
        // restarting
      }
      if (ready && unfinished(flowId) === 0) {
        if (succeeded(flowId) > 0) return;
        // Killed before the run was even recorded: start it again, as an operator would.
        await engine
          .call('enqueue', { flowId, trigger: 'manual', requestedBy: 'test', backfillFrom: null })
          .catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  function assertExactlyOnce(trial: number): void {
    const odoo = odoos[trial]!;
    const flowId = seeded.flows[`trial-${trial}`]!.id;
    expect(odoo.state.db.count('account.move'), `trial ${trial} moves`).toBe(RECORDS);
    expect(odoo.state.db.count('account.move.line'), `trial ${trial} lines`).toBe(RECORDS);
    const refs = new Set(
      odoo.state.db
        .idsWhere('account.move', () => true)
        .map((id) => odoo.state.db.record('account.move', id)?.ref),
    );
    expect(refs.size, `trial ${trial} distinct refs`).toBe(RECORDS);
    for (let index = 0; index < RECORDS; index += 50) {
      expect(
        odoo.state.resolveXmlid(`osc_sync.charge_bulk_charge_${index}`),
        `trial ${trial} record ${index}`,
      ).not.toBeNull();
    }
    const state = db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM target_state WHERE flow_id = ?')
      .get(flowId)!.n;
    expect(state, `trial ${trial} hashes`).toBe(RECORDS);
    const keys = db
      .prepare<[string], { n: number }>(
        "SELECT count(DISTINCT target_key) AS n FROM lineage WHERE flow_id = ? AND outcome <> 'failed'",
      )
      .get(flowId)!.n;
    expect(keys, `trial ${trial} lineage`).toBe(RECORDS);
  }

  it(`survives ${TRIALS} kills at random points`, async () => {
    // Trial 0 runs undisturbed: it proves the flow and measures how long a run takes.
    const control = seeded.flows['trial-0']!.id;
    const started = performance.now();
    await engine.call('enqueue', {
      flowId: control,
      trigger: 'manual',
      requestedBy: 'test',
      backfillFrom: null,
    });
    await settle(control);
    const duration = performance.now() - started;
    assertExactlyOnce(0);
    console.error('control run ms', duration);

    let interrupted = 0;
    for (let trial = 1; trial <= TRIALS; trial += 1) {
      const flowId = seeded.flows[`trial-${trial}`]!.id;
      await engine.call('enqueue', { flowId, trigger: 'manual', requestedBy: 'test', backfillFrom: null });
      // A random moment inside the run: after a random share of its records is durable (waiting on
      // the clock alone let a busy machine finish many runs before their kill), then a random
      // fraction of a batch's time, so kills land between commits and in the middle of writes.
      const durableBeforeKill = Math.floor(Math.random() * RECORDS * 0.8);
      const waitUntil = performance.now() + duration * 2;
      while (committed(flowId) < durableBeforeKill && performance.now() < waitUntil) {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await new Promise((resolve) => setTimeout(resolve, (Math.random() * duration * BATCH) / RECORDS));
      await engine.kill();
      await settle(flowId);
      const wasInterrupted = db
        .prepare<[string], { n: number }>(
          "SELECT count(*) AS n FROM runs WHERE flow_id = ? AND status = 'interrupted'",
        )
        .get(flowId)!.n;
      if (wasInterrupted > 0) interrupted += 1;
      assertExactlyOnce(trial);
    }
    // Most kills must land inside a run, or the test would prove nothing.
    expect(interrupted).toBeGreaterThanOrEqual(TRIALS / 2);
  }, 300_000);
});
