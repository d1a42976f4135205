import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnomalyStore, newHoldId } from '../../../main/engine/anomaly/anomaly-store.js';
import { OutboxRepo } from '../../../main/engine/outbox/outbox-repo.js';
import type { MappedRecord } from '../../../main/engine/pipeline/map-page.js';
import type { RunContext } from '../../../main/engine/store/batch-commit.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { AnomalyHold } from '../../../shared/domain/flow-anomaly.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { HttpSession, startTestServer, type TestServer } from '../../support/test-http.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

function chargeWrite(n: number): MappedRecord {
  const data = { id: `ChargeItem/${n}`, amount: 10 * n };
  const payload = { ref: `CI-${n}`, amount: 10 * n };
  const sourceJson = JSON.stringify(data);
  const payloadJson = JSON.stringify(payload);
  return {
    source: { type: 'ChargeItem', sourceId: data.id, version: '1', updatedAt: null },
    sourceJson,
    sourceHash: sha(sourceJson),
    key: `charge-${n}`,
    orderKey: `charge-${n}`,
    payload,
    payloadJson,
    payloadHash: sha(payloadJson),
  };
}

/** Anomaly holds over the real HTTP server: who sees them, who decides, what is audited. */
describe('anomaly hold operations over HTTP', () => {
  let harness: TestCore;
  let server: TestServer;
  let admin: HttpSession;
  let finance: HttpSession;
  let viewer: HttpSession;
  let itStaff: HttpSession;
  let flowId = '';
  let mappingId = '';
  let odooId = '';

  beforeAll(async () => {
    harness = await startTestCore();
    server = await startTestServer(harness);
    admin = await HttpSession.signedIn(server.url, 'admin', ADMIN_PASSWORD);
    for (const [name, role] of [
      ['fin', 'finance'],
      ['view', 'viewer'],
      ['its', 'it-staff'],
    ] as const)
      await harness.operator(name, [role]);
    finance = await HttpSession.signedIn(server.url, 'fin', ADMIN_PASSWORD);
    viewer = await HttpSession.signedIn(server.url, 'view', ADMIN_PASSWORD);
    itStaff = await HttpSession.signedIn(server.url, 'its', ADMIN_PASSWORD);
    odooId = (
      await admin.value<{ id: string }>('connections.create', {
        name: 'Billing Odoo',
        settings: { kind: 'odoo', baseUrl: 'https://odoo.example', database: 'billing', login: 'sync' },
      })
    ).id;
    const fhir = await admin.value<{ id: string }>('connections.create', {
      name: 'Ward FHIR',
      settings: { kind: 'fhir', baseUrl: 'https://fhir.example/r4', authMethod: 'none' },
    });
    mappingId = (
      await admin.value<{ id: string }>('mappings.create', {
        name: 'Charges',
        spec: { key: 'id', fields: [{ target: 'amount', expression: 'amount' }] },
      })
    ).id;
    flowId = (
      await admin.value<{ id: string }>('flows.create', {
        name: 'Charges to invoices',
        sourceConnectionId: fhir.id,
        sourceSelector: { resourceType: 'ChargeItem' },
        targetConnectionId: odooId,
        targetOperation: { model: 'account.move' },
        mappingId,
        enabled: false,
        anomaly: { amountField: 'amount' },
      })
    ).id;
  });
  afterAll(async () => {
    await server.close();
    await harness.close();
  });

  /** A batch the engine held: its writes staged in the outbox, attached to a hold. */
  function holdBatch(runId: string, from: number, count: number): string {
    const db = new Database(join(harness.dataDir, 'osc.sqlite'));
    try {
      const context: RunContext = {
        runId,
        flowId,
        sourceSystem: 'fhir',
        targetSystem: 'odoo',
        targetModel: 'account.move',
        mappingId,
        mappingVersion: 1,
        targetConnectionId: odooId,
      };
      const records = Array.from({ length: count }, (_, i) => chargeWrite(from + i));
      new OutboxRepo(db).defer(context, odooId, 'behind', records, new Date().toISOString());
      const firstSeq = db
        .prepare<[string], { seq: number }>('SELECT min(seq) AS seq FROM outbox_writes WHERE run_id = ?')
        .get(runId)!.seq;
      const id = newHoldId();
      new AnomalyStore(db).hold({
        id,
        flowId,
        runId,
        at: new Date().toISOString(),
        explanation: `${count} records: 10× the median of the last 8 Mondays (${count / 10})`,
        size: count,
        firstSeq,
        contextJson: JSON.stringify(context),
      });
      return id;
    } finally {
      db.close();
    }
  }

  async function auditRows(action: string): Promise<AuditEntry[]> {
    const page = await admin.value<{ entries: AuditEntry[] }>('audit.list', { limit: 20, action });
    return page.entries;
  }

  it('every role lists holds with flow, run, explanation, state and size; the flow keeps its anomaly watch', async () => {
    const id = holdBatch('run_httpheld000000001', 1, 20);
    for (const session of [viewer, itStaff, finance, admin]) {
      const holds = await session.value<AnomalyHold[]>('holds.list', { state: 'held' });
      expect(holds).toContainEqual(
        expect.objectContaining({
          id,
          flowId,
          flowName: 'Charges to invoices',
          runId: 'run_httpheld000000001',
          explanation: '20 records: 10× the median of the last 8 Mondays (2)',
          state: 'held',
          size: 20,
        }),
      );
      expect(JSON.stringify(holds)).not.toContain('CI-1');
    }
    const flow = await admin.value<{ anomaly?: unknown }>('flows.get', { id: flowId });
    expect(flow.anomaly).toEqual({ amountField: 'amount', minHistory: 8, threshold: 3.5 });
  });

  it('IT staff and viewers are refused release and reject with 403, audited as denied', async () => {
    const id = holdBatch('run_httpheld000000002', 100, 3);
    for (const [session, actor] of [
      [itStaff, 'its'],
      [viewer, 'view'],
    ] as const) {
      for (const name of ['holds.release', 'holds.reject']) {
        const answer = await session.op(name, { id, reason: 'not mine to decide' });
        expect(answer.status, `${actor} ${name}`).toBe(403);
        expect(answer.json.error?.code).toBe('forbidden');
        expect((await auditRows(name)).some((r) => r.actor === actor && r.outcome === 'denied')).toBe(true);
      }
    }
    const [still] = await admin.value<AnomalyHold[]>('holds.list', { flowId, state: 'held' });
    expect(still?.state).toBe('held');
  });

  it('finance releases with a reason: audited with the explanation; deciding again is a conflict', async () => {
    const [held] = await finance.value<AnomalyHold[]>('holds.list', { state: 'held', flowId });
    const id = held!.id;
    const released = await finance.value<{ hold: AnomalyHold; drainRunIds: string[] }>('holds.release', {
      id,
      reason: 'Quarter-end stock count, checked with the ward',
    });
    expect(released.hold).toMatchObject({ id, state: 'released', decidedBy: 'fin' });
    const [row] = (await auditRows('holds.release')).filter((r) => r.outcome === 'ok');
    expect(row).toMatchObject({ actor: 'fin', target: id });
    expect(JSON.parse(row?.detail ?? '{}')).toMatchObject({
      flow: flowId,
      reason: 'Quarter-end stock count, checked with the ward',
      explanation: held!.explanation,
    });
    const again = await admin.op('holds.reject', { id, reason: 'changed my mind' });
    expect([again.status, again.json.error?.code]).toEqual([409, 'conflict']);
  });

  it('an administrator rejects: the writes are never sent and become anomaly.rejected exceptions', async () => {
    const [held] = await admin.value<AnomalyHold[]>('holds.list', { state: 'held', flowId });
    const rejected = await admin.value<{ hold: AnomalyHold; exceptions: number }>('holds.reject', {
      id: held!.id,
      reason: 'Duplicate export from the EHR',
    });
    expect(rejected).toMatchObject({
      exceptions: held!.size,
      hold: { state: 'rejected', decidedBy: 'admin' },
    });
    const db = new Database(join(harness.dataDir, 'osc.sqlite'), { readonly: true });
    try {
      const states = db
        .prepare<[string], { state: string }>('SELECT DISTINCT state FROM outbox_writes WHERE hold_id = ?')
        .all(held!.id);
      expect(states).toEqual([{ state: 'failed' }]);
      const codes = db
        .prepare<[string], { n: number }>(
          "SELECT count(*) AS n FROM exceptions WHERE flow_id = ? AND error_code = 'anomaly.rejected'",
        )
        .get(flowId);
      expect(codes?.n).toBe(held!.size);
    } finally {
      db.close();
    }
  });

  it('an unknown hold answers 404; a malformed id or a missing reason is invalid input', async () => {
    const missing = await finance.op('holds.release', { id: 'hold_00000000000000000000', reason: 'why not' });
    expect([missing.status, missing.json.error?.code]).toEqual([404, 'not-found']);
    const malformed = await finance.op('holds.reject', { id: 'run_x', reason: 'why not' });
    expect([malformed.status, malformed.json.error?.code]).toEqual([400, 'invalid-input']);
    const noReason = await finance.op('holds.reject', { id: 'hold_00000000000000000000', reason: ' ' });
    expect([noReason.status, noReason.json.error?.code]).toEqual([400, 'invalid-input']);
  });
});
