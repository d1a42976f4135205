import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditAt } from '../../../main/store/store-tasks.js';
import { isPrunedPayload } from '../../../main/store/retention/pruned-payload-marker.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { payload, seedRetentionStore } from './retention-seed.js';

/** The administrator's retention operations through the real dispatcher (roles, audit, store). */
describe('retention operations', () => {
  let harness: TestCore;
  let db: Database.Database;
  beforeEach(async () => {
    harness = await startTestCore();
    db = new Database(join(harness.dataDir, 'osc.sqlite'));
    db.pragma('busy_timeout = 5000');
    seedRetentionStore(db);
  });
  afterEach(async () => {
    db.close();
    await harness.close();
  });

  const column = (sql: string): string =>
    Object.values(db.prepare(sql).get() as Record<string, string>)[0] ?? '';

  it('sets the age, prunes on demand (audited twice: the call and the pass), never an open or dead exception', async () => {
    expect(await harness.admin.value('retention.settings', {})).toEqual({ payloadDays: null });
    const refused = await harness.admin.call('retention.pruneNow', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    expect(await harness.admin.value('retention.setPayloadDays', { payloadDays: 30 })).toEqual({
      payloadDays: 30,
    });
    const pass = await harness.admin.value('retention.pruneNow', {});
    expect(pass).toMatchObject({
      olderThanDays: 30,
      payloads: 10,
      rows: { exceptions: 1, outbox_writes: 1 },
    });

    expect(isPrunedPayload(column("SELECT source_payload FROM exceptions WHERE id = 'exc_resolved00'"))).toBe(
      true,
    );
    expect(column("SELECT source_payload FROM exceptions WHERE id = 'exc_open000000'")).toBe(
      payload('S-open'),
    );
    expect(column("SELECT source_payload FROM exceptions WHERE id = 'exc_dead000000'")).toBe(
      payload('S-dead'),
    );

    const actions = db
      .prepare<[], { actor: string; action: string; outcome: string }>(
        "SELECT actor, action, outcome FROM audit_log WHERE action LIKE 'retention.%' OR action = 'store.payloads-pruned' ORDER BY seq",
      )
      .all();
    expect(actions).toEqual([
      { actor: 'admin', action: 'retention.settings', outcome: 'ok' },
      { actor: 'admin', action: 'retention.pruneNow', outcome: 'error' },
      { actor: 'admin', action: 'retention.setPayloadDays', outcome: 'ok' },
      { actor: 'admin', action: 'store.payloads-pruned', outcome: 'ok' },
      { actor: 'admin', action: 'retention.pruneNow', outcome: 'ok' },
    ]);
    expect(verifyAuditAt(harness.dataDir)).toMatchObject({ ok: true });
  });

  it('is for administrators only', async () => {
    const staff = await harness.operator('it-person', ['it-staff']);
    expect(await staff.call('retention.pruneNow', { olderThanDays: 1 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(column("SELECT source_payload FROM exceptions WHERE id = 'exc_resolved00'")).toBe(
      payload('S-resolved'),
    );
  });
});
