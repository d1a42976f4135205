import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { verifyAuditAt } from '../../../main/store/store-tasks.js';
import { verifyAuditCommand } from '../../../main/cli/commands/verify-audit.js';
import { runPayloadRetention } from '../../../main/store/retention/payload-retention.js';
import { isPrunedPayload } from '../../../main/store/retention/pruned-payload-marker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { NOW, payload, seedRetentionStore } from './retention-seed.js';

const quiet = { log: { warn: () => undefined } };

describe('payload retention', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  beforeEach(() => {
    temp = makeTempDir('osc-retention-');
    store = openStore({ dataDir: temp.dir, now: () => NOW, ...quiet });
    seedRetentionStore(store.db);
    store.audit.append({
      actor: 'admin',
      action: 'flows.create',
      target: 'flw_1',
      outcome: 'ok',
      detail: {},
    });
  });
  afterEach(() => {
    store.close();
    temp.cleanup();
  });

  const value = (sql: string, ...args: unknown[]): unknown =>
    Object.values(store.db.prepare(sql).get(...args) as Record<string, unknown>)[0];
  const exceptionPayloads = (id: string) =>
    store.db
      .prepare('SELECT source_payload, latest_source_payload, mapped_payload FROM exceptions WHERE id = ?')
      .get(id) as Record<string, string>;

  it('never prunes an open, retrying or dead exception (nor its other copies), prunes settled old ones keeping hashes', () => {
    const run = runPayloadRetention(store, { days: 30, actor: 'system', now: NOW });

    for (const [id, source] of [
      ['exc_open000000', 'S-open'],
      ['exc_dead000000', 'S-dead'],
      ['exc_retry00000', 'S-retry'],
    ] as const) {
      expect(exceptionPayloads(id)).toEqual({
        source_payload: payload(source),
        latest_source_payload: payload(`${source}-v2`),
        mapped_payload: payload(`${source}-mapped`),
      });
    }
    // The run failures and edits of unsettled exceptions' records stay whole too.
    expect(value("SELECT source_payload FROM record_failures WHERE source_id = 'S-open'")).toBe(
      payload('S-open'),
    );
    expect(value("SELECT source_payload FROM record_failures WHERE source_id = 'S-dead'")).toBe(
      payload('S-dead'),
    );
    expect(value("SELECT source_payload FROM exception_edits WHERE exception_id = 'exc_dead000000'")).toBe(
      payload('S-dead-edit'),
    );
    // Under an open reconciliation difference: kept although ignored and old.
    expect(exceptionPayloads('exc_ignored000').source_payload).toBe(payload('S-diff'));
    expect(value("SELECT source_payload FROM record_failures WHERE source_id = 'S-diff'")).toBe(
      payload('S-diff'),
    );
    // Too recent, waiting, not yet read by its flow, not delivered: kept.
    expect(exceptionPayloads('exc_recent0000').source_payload).toBe(payload('S-recent'));
    expect(value("SELECT payload_json FROM outbox_writes WHERE source_id = 'S-waiting'")).toBe(
      payload('S-waiting-m'),
    );
    expect(value("SELECT body FROM inbound_events WHERE event_id = 'ev-unread'")).toBe(payload('ev-unread'));
    expect(value("SELECT body FROM webhook_deliveries WHERE event_id = 'dv-dead'")).toBe(payload('dv-dead'));

    // Settled and old: every payload replaced by its marker; rows, metadata and hash columns stay.
    const resolved = exceptionPayloads('exc_resolved00');
    for (const text of Object.values(resolved)) expect(isPrunedPayload(text)).toBe(true);
    expect(JSON.parse(resolved.source_payload ?? '')).toMatchObject({
      'osc:pruned': 'pruned on 2026-12-01 by retention; hash kept',
      chars: payload('S-resolved').length,
    });
    expect(value("SELECT source_hash FROM exceptions WHERE id = 'exc_resolved00'")).toBe('h-S-resolved');
    for (const sql of [
      "SELECT source_payload FROM record_failures WHERE source_id = 'S-resolved'",
      "SELECT payload_json FROM outbox_writes WHERE source_id = 'S-sent'",
      "SELECT body FROM inbound_events WHERE event_id = 'ev-read'",
      "SELECT body FROM webhook_deliveries WHERE event_id = 'dv-delivered'",
      "SELECT source_payload FROM exception_edits WHERE exception_id = 'exc_resolved00'",
    ]) {
      expect(isPrunedPayload(value(sql) as string), sql).toBe(true);
    }
    expect(value("SELECT payload_hash FROM outbox_writes WHERE source_id = 'S-sent'")).toBe('ph');
    expect(value("SELECT body_sha256 FROM inbound_events WHERE event_id = 'ev-read'")).toBe('bh');

    expect(run.counts).toEqual({
      record_failures: { rows: 1, columns: { source_payload: 1, mapped_payload: 1 } },
      exceptions: { rows: 1, columns: { source_payload: 1, latest_source_payload: 1, mapped_payload: 1 } },
      exception_edits: { rows: 1, columns: { source_payload: 1 } },
      outbox_writes: { rows: 1, columns: { source_json: 1, payload_json: 1 } },
      inbound_events: { rows: 1, columns: { body: 1 } },
      webhook_deliveries: { rows: 1, columns: { body: 1 } },
    });
    expect(run.payloads).toBe(10);
    // The audit row says what, how many and older than when.
    expect(run.entry).toMatchObject({ actor: 'system', action: 'store.payloads-pruned', target: 'payloads' });
    expect(JSON.parse(run.entry.detail)).toEqual({
      olderThanDays: 30,
      olderThan: '2026-11-01T12:00:00.000Z',
      payloads: 10,
      rows: {
        exception_edits: 1,
        exceptions: 1,
        inbound_events: 1,
        outbox_writes: 1,
        record_failures: 1,
        webhook_deliveries: 1,
      },
    });
    // The immutability guard is back: the original record of an exception still never changes.
    expect(() =>
      store.db.prepare("UPDATE exceptions SET source_payload = '{}' WHERE id = 'exc_open000000'").run(),
    ).toThrow(/original record never changes/);
    // A second pass finds nothing new.
    expect(runPayloadRetention(store, { days: 30, actor: 'system', now: NOW }).payloads).toBe(0);
  });

  it('the audit chain verifies after pruning (in process and as `osc verify-audit` prints it)', async () => {
    runPayloadRetention(store, { days: 30, actor: 'admin', now: NOW });
    store.close();
    const verification = verifyAuditAt(temp.dir);
    expect(verification).toMatchObject({ ok: true, rows: 2 });
    const out: string[] = [];
    const code = await verifyAuditCommand({ dataDir: temp.dir }, {
      write: (text: string) => out.push(text),
    } as unknown as NodeJS.WritableStream);
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/^audit log OK: 2 rows/);
  });
});
