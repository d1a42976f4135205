import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { Reconciler } from '../../../main/engine/reconcile/reconciler.js';
import { ConnectionsRepo } from '../../../main/repositories/connections-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { seedStore } from '../../peers/demo/seed-store.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * A scheduled reconciliation (issue 12) as the engine worker runs it: its outcome is recorded, the
 * consoles hear `reconcile.changed`, and — no operator having asked — the engine's audit outbox
 * holds its row. A second one while the first runs is refused, not doubled.
 */
const API_KEY = 'reconcile-scheduled-key';
const temp = makeTempDir('osc-reconcile-scheduled-');
let emulator: OdooEmulator;
let store: Store;
let flowId: string;
let reconciler: Reconciler;
const events: LiveEvent[] = [];

beforeAll(async () => {
  emulator = await startOdooEmulator({ apiKeys: [{ key: API_KEY }] });
  const partner = emulator.state.db.create('res.partner', { name: 'P' }, 2);
  emulator.state.db.create(
    'account.move',
    {
      move_type: 'out_invoice',
      partner_id: partner,
      invoice_date: new Date().toISOString().slice(0, 10),
      ref: 'hand-made',
      invoice_line_ids: [[0, 0, { name: 'x', quantity: 1, price_unit: 12 }]],
    },
    2,
  );
  const seeded = seedStore(temp.dir, {
    connections: {
      src: {
        kind: 'fhir',
        baseUrl: 'http://127.0.0.1:9/',
        allowInsecureHttp: true,
        authMethod: 'none',
        username: '',
        pageSize: 50,
        overlapSeconds: 0,
        timeoutMs: 1000,
      },
      odoo: {
        kind: 'odoo',
        baseUrl: emulator.url,
        database: emulator.state.database,
        login: 'admin',
        authMethod: 'api-key',
        protocol: 'auto',
        externalIdModule: 'osc_sync',
        allowInsecureHttp: true,
        maxConcurrentCalls: 1,
        maxCallsPerSecond: 100,
        timeoutMs: 10_000,
      },
    },
    mappings: { charges: { key: '"charge_" & id', fields: [{ target: 'ref', expression: 'id' }] } },
    flows: {
      charges: {
        source: 'src',
        sourceSelector: { resourceType: 'ChargeItem' },
        target: 'odoo',
        targetOperation: { model: 'account.move', kind: 'upsert' },
        mapping: 'charges',
        reconcile: {
          period: 'month',
          targetDateField: 'invoice_date',
          targetAmountField: 'amount_untaxed',
          payloadDate: 'invoice_date',
          payloadAmount: 'amount',
          targetDomain: [['move_type', '=', 'out_invoice']],
          lookbackPeriods: 1,
          schedule: '*/5 * * * *',
        },
      },
    },
  });
  flowId = seeded.flows.charges?.id ?? '';
  store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
  const settings = new ConnectionsRepo(store.db).get(seeded.connectionIds.odoo ?? '')?.settings;
  if (settings?.kind !== 'odoo') throw new Error('no Odoo connection');
  const secrets = { read: () => Promise.resolve(API_KEY) };
  reconciler = new Reconciler({
    db: store.db,
    secrets,
    emit: (event) => events.push(event),
  });
}, 30_000);

afterAll(async () => {
  store.close();
  await emulator.close();
  temp.cleanup();
});

describe('scheduled reconciliation', () => {
  it('records, announces and audits its outcome; a concurrent one is refused', async () => {
    const [run, second] = await Promise.allSettled([
      reconciler.run({ flowId, trigger: 'schedule', requestedBy: 'engine' }),
      reconciler.run({ flowId, trigger: 'schedule', requestedBy: 'engine' }),
    ]);
    expect(run.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'conflict' } });
    const finished = (run as PromiseFulfilledResult<Awaited<ReturnType<Reconciler['run']>>>).value;
    // The hand-made invoice lies in the flow's scope, and the flow never wrote it.
    expect(finished).toMatchObject({
      state: 'differences',
      differencesFound: 1,
      differencesNew: 1,
      trigger: 'schedule',
    });
    expect(events).toContainEqual({
      type: 'reconcile.changed',
      flowId,
      runId: finished.id,
      state: 'differences',
      differencesNew: 1,
    });
    const audit = store.db
      .prepare<[], { action: string; target: string; outcome: string; detail: string }>(
        "SELECT action, target, outcome, detail FROM engine_audit_outbox WHERE action = 'reconcile.scheduled'",
      )
      .all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target: flowId, outcome: 'ok' });
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({
      run: finished.id,
      differences: 1,
      newDifferences: 1,
    });
  });
});
