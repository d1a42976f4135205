import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { latestCheckpointForReport } from '../../../main/api/audit-report-checkpoint.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import type { TestCaller } from '../../support/test-caller.js';

const SPEC = { key: 'id', fields: [{ target: 'name', expression: 'name' }] };
const START = '2000-01-01T00:00:00Z';
const END = '2100-01-01T00:00:00Z';

describe('audit explorer through the API', () => {
  let harness: TestCore;
  let ann: TestCaller;
  let ids: { connection: string; flow: string; mapping: string; exception: string; run: string };
  const writable = () => new Database(join(harness.dataDir, 'osc.sqlite'));

  beforeAll(async () => {
    harness = await startTestCore({ services: { webhookListener: false } });
    const { admin } = harness;
    ann = await harness.operator('ann', ['viewer']);
    await admin.value('operators.update', { username: 'ann', displayName: 'Ann Auditor' });
    const connection = await admin.value('connections.create', {
      name: 'Lab Odoo',
      settings: { kind: 'odoo', baseUrl: 'https://odoo.example', database: 'clinic', login: 'sync' },
    });
    const mapping = await admin.value('mappings.create', { name: 'Intake mapping', spec: SPEC });
    const flow = await admin.value('flows.create', {
      name: 'Lab results',
      sourceConnectionId: connection.id,
      sourceSelector: { model: 'res.partner' },
      targetConnectionId: connection.id,
      targetOperation: { model: 'res.partner' },
      mappingId: mapping.id,
      enabled: false,
    });
    ids = {
      connection: connection.id,
      flow: flow.id,
      mapping: mapping.id,
      exception: 'exc_audit00001',
      run: 'run_audit00001',
    };
    // A run and an exception as the engine would leave them (the engine is not run here).
    const db = writable();
    try {
      const at = '2026-01-02T03:04:05.000Z';
      db.prepare(
        `INSERT INTO runs (id, flow_id, trigger, requested_by, status, mapping_id, mapping_version, queued_at, started_at)
         VALUES (?, ?, 'manual', 'admin', 'failed', ?, 1, ?, ?)`,
      ).run(ids.run, flow.id, mapping.id, at, at);
      db.prepare(
        `INSERT INTO exceptions (id, flow_id, source_type, source_id, source_version, latest_source_version, stage, class,
           error_code, error_message, state, created_at, updated_at, last_failed_at, last_run_id)
         VALUES (?, ?, 'Observation', 'obs-77', '1', '1', 'map', 'data', 'E1', 'bad', 'open', ?, ?, ?, ?)`,
      ).run(ids.exception, flow.id, at, at, at, ids.run);
      db.prepare(
        `INSERT INTO lineage (at, run_id, flow_id, source_system, source_type, source_id, source_version, source_hash,
           mapping_id, mapping_version, target_system, target_model, target_key, target_id, payload_hash, outcome)
         VALUES (?, ?, ?, 'fhir', 'Observation', 'obs-77', '1', 'h', ?, 1, 'odoo', 'res.partner', 'k-77', '5', 'p', 'created')`,
      ).run(at, ids.run, flow.id, mapping.id);
    } finally {
      db.close();
    }
    await admin.value('connections.get', { id: connection.id });
    await admin.value('flows.get', { id: flow.id });
    await admin.value('exceptions.get', { id: ids.exception });
    await admin.value('runs.get', { id: ids.run });
    await ann.value('flows.list', {});
    // A read ann may not make: refused, and it must stay visible when reads are hidden.
    const refused = await ann.call('audit.verify', {});
    expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
  });
  afterAll(() => harness.close());

  it('names the ids a page mentions, with the lineage of an exception', async () => {
    const page = await harness.admin.value('audit.list', { limit: 100 });
    expect(page.objects[ids.connection]).toEqual({ kind: 'connection', name: 'Lab Odoo' });
    expect(page.objects[ids.flow]).toEqual({ kind: 'flow', name: 'Lab results' });
    expect(page.objects[ids.mapping]).toEqual({ kind: 'mapping', name: 'Intake mapping (v1)' });
    expect(page.objects.ann).toEqual({ kind: 'operator', name: 'Ann Auditor' });
    expect(page.objects[ids.exception]).toEqual({
      kind: 'exception',
      name: 'Lab results: Observation obs-77',
      lineage: { sourceId: 'obs-77', sourceType: 'Observation', flowId: ids.flow },
    });
    expect(page.objects[ids.run]).toEqual({
      kind: 'run',
      name: 'Lab results run at 2026-01-02T03:04:05.000Z',
    });
    expect(page.searchedDownToSeq).toBe(1);
    // The lineage of that record names its flow and mapping too.
    const trail = await harness.admin.value('lineage.bySource', { sourceId: 'obs-77' });
    expect(trail.entries).toHaveLength(1);
    expect(trail.flowNames).toEqual({ [ids.flow]: 'Lab results' });
    expect(trail.mappingNames).toEqual({ [ids.mapping]: 'Intake mapping' });
  });

  it('finds rows by the name of what they touch, by action family and by free text', async () => {
    const { admin } = harness;
    const byName = await admin.value('audit.list', { limit: 100, object: 'lab odoo' });
    expect(byName.entries.length).toBeGreaterThan(0);
    expect(byName.entries.every((entry) => entry.target === ids.connection)).toBe(true);
    const byId = await admin.value('audit.list', { limit: 100, object: ids.exception });
    expect(byId.entries.map((entry) => entry.action)).toEqual(['exceptions.get']);
    const family = await admin.value('audit.list', { limit: 100, action: 'connections' });
    expect(new Set(family.entries.map((entry) => entry.action))).toEqual(
      new Set(['connections.create', 'connections.get']),
    );
    const text = await admin.value('audit.list', { limit: 100, text: 'OBS-77', action: 'lineage' });
    expect(text.entries.map((entry) => entry.target)).toEqual(['obs-77']);
  });

  it('hides successful reads only when asked; refused reads stay', async () => {
    const { admin } = harness;
    const all = await admin.value('audit.list', { limit: 500, actor: 'ann' });
    expect(all.entries.map((entry) => [entry.action, entry.outcome])).toContainEqual(['flows.list', 'ok']);
    const hidden = await admin.value('audit.list', { limit: 500, actor: 'ann', hideReads: true });
    const actions = hidden.entries.map((entry) => [entry.action, entry.outcome]);
    expect(actions).toContainEqual(['audit.verify', 'denied']);
    expect(actions).not.toContainEqual(['flows.list', 'ok']);
    expect(actions).not.toContainEqual(['session.status', 'ok']);
  });

  it('exports a period as CSV chunks and audits what was exported', async () => {
    const { admin } = harness;
    const chunk = await admin.value('audit.exportCsv', { from: START, to: END, action: 'connections' });
    const lines = chunk.csv.split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toBe('seq,at,operator,action,object,target,outcome,detail,hash');
    expect(lines).toHaveLength(chunk.rows + 1);
    expect(lines.slice(1).every((line) => line.includes(',Lab Odoo,'))).toBe(true);
    expect(chunk.nextAfterSeq).toBeNull();
    const next = await admin.value('audit.exportCsv', { afterSeq: 1, action: 'connections' });
    expect(next.csv.startsWith('seq,')).toBe(false);
    const rows = await admin.value('audit.list', { limit: 2, action: 'audit.exportCsv' });
    expect(JSON.parse(rows.entries[1]?.detail ?? '{}')).toMatchObject({
      from: START,
      to: END,
      action: 'connections',
      rows: chunk.rows,
    });
  });

  it('reports a period with counts, the chain and the latest checkpoint; a changed head row does not match', async () => {
    const { admin } = harness;
    const signed = await admin.value('audit.checkpoint', {});
    const report = await admin.value('audit.report', { from: START, to: END });
    const checkpointRows = await admin.value('audit.list', { limit: 5, action: 'audit.checkpoint' });
    expect(checkpointRows.objects[String(signed.id)]).toEqual({
      kind: 'checkpoint',
      name: `Checkpoint ${signed.id} (row #${signed.checkpoint.seq}, ${signed.checkpoint.at})`,
    });
    const db = writable();
    try {
      const counted = db
        .prepare<[], { outcome: AuditEntry['outcome']; n: number }>(
          // Every row before the report's own audit row (written once it answered).
          `SELECT outcome, count(*) AS n FROM audit_log
           WHERE seq < (SELECT max(seq) FROM audit_log WHERE action = 'audit.report') GROUP BY outcome`,
        )
        .all();
      const byOutcome = {
        ok: 0,
        denied: 0,
        error: 0,
        ...Object.fromEntries(counted.map((row) => [row.outcome, row.n])),
      };
      expect(report.byOutcome).toEqual(byOutcome);
      expect(report.totalRows).toBe(byOutcome.ok + byOutcome.denied + byOutcome.error);
      expect(report.entries).toHaveLength(report.totalRows);
      expect(report.entries[0]?.seq).toBe(1);
      expect(report.truncated).toBe(false);
      expect(report.topActions[0]?.count).toBeGreaterThanOrEqual(report.topActions.at(-1)?.count ?? 0);
      expect(report.generatedBy).toBe('admin');
      expect(report.verification.ok).toBe(true);
      expect(report.objects[ids.connection]?.name).toBe('Lab Odoo');
      expect(report.checkpoint).toMatchObject({
        id: signed.id,
        seq: signed.checkpoint.seq,
        matchesLog: true,
        problem: null,
      });

      // Another key: the signature no longer verifies.
      const other = generateKeyPairSync('ed25519')
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString();
      expect(latestCheckpointForReport(db, other)).toMatchObject({
        matchesLog: false,
        problem: "the checkpoint's signature does not verify with this store's public key",
      });

      // The checkpoint's head row changed behind the console's back.
      db.exec('DROP TRIGGER audit_log_no_update');
      db.prepare('UPDATE audit_log SET hash = ? WHERE seq = ?').run('0'.repeat(64), signed.checkpoint.seq);
    } finally {
      db.close();
    }
    const tampered = await admin.value('audit.report', { from: START, to: END });
    expect(tampered.checkpoint).toMatchObject({
      matchesLog: false,
      problem: `row #${signed.checkpoint.seq} does not carry the head hash the checkpoint signed`,
    });
    expect(tampered.verification.ok).toBe(false);
  });
});
