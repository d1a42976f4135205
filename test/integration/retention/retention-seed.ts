import type Database from 'better-sqlite3';

/** Long ago (pruned at a 30-day retention on NOW) and yesterday (kept by age). */
export const OLD = '2026-01-05T10:00:00.000Z';
export const RECENT = '2026-11-30T10:00:00.000Z';
export const NOW = new Date('2026-12-01T12:00:00.000Z');

export const payload = (name: string): string => JSON.stringify({ patient: name, amount: 12.5 });

/**
 * One row of every kind retention looks at, each either prunable or protected for one reason, so a
 * test can tell which rule kept what. Source ids name the case.
 */
export function seedRetentionStore(db: Database.Database): void {
  db.prepare(
    `INSERT INTO flows (id, name, definition, enabled, cursor, created_at, created_by, updated_at, updated_by)
     VALUES ('flw_1', 'Charges', '{"sourceConnectionId":"con_in"}', 1, '1', ?, 'admin', ?, 'admin')`,
  ).run(OLD, OLD);
  const exception = db.prepare(
    `INSERT INTO exceptions (id, flow_id, source_type, source_id, source_version, source_hash, source_payload,
       latest_source_version, latest_source_payload, mapped_payload, target_key, stage, class, error_code, signature,
       error_message, state, created_at, updated_at, last_failed_at, last_run_id, resolved_at)
     VALUES (?, 'flw_1', 'Charge', ?, '1', 'h-' || ?, ?, '2', ?, ?, ?, 'load', 'data', 'c', 'c||', 'm', ?, ?, ?, ?, 'run_1', ?)`,
  );
  const addException = (id: string, source: string, state: string, at: string, resolved: string | null) =>
    exception.run(
      id,
      source,
      source,
      payload(source),
      payload(`${source}-v2`),
      payload(`${source}-mapped`),
      `key-${source}`,
      state,
      at,
      at,
      at,
      resolved,
    );
  addException('exc_open000000', 'S-open', 'open', OLD, null);
  addException('exc_dead000000', 'S-dead', 'dead', OLD, null);
  addException('exc_retry00000', 'S-retry', 'retrying', OLD, null);
  addException('exc_resolved00', 'S-resolved', 'resolved', OLD, OLD);
  addException('exc_recent0000', 'S-recent', 'resolved', RECENT, RECENT);
  // An ignored exception on a record an open reconciliation difference is about: kept.
  addException('exc_ignored000', 'S-diff', 'ignored', OLD, OLD);
  addException('exc_diffopen00', 'S-diff-open', 'open', OLD, null);
  db.prepare(
    `INSERT INTO reconcile_differences (run_id, flow_id, period, day, type, identity, target_key, source_id, message,
       exception_id, is_new) VALUES ('rec_1', 'flw_1', '2026-01', '2026-01-05', 'amount-differs', 'x', 'key-S-diff',
       'S-diff', 'amount differs', 'exc_diffopen00', 1)`,
  ).run();
  db.prepare(
    `INSERT INTO exception_edits (exception_id, source_payload, edited_by, edited_at) VALUES (?, ?, 'admin', ?)`,
  ).run('exc_resolved00', payload('S-resolved-edit'), OLD);
  db.prepare(
    `INSERT INTO exception_edits (exception_id, source_payload, edited_by, edited_at) VALUES (?, ?, 'admin', ?)`,
  ).run('exc_dead000000', payload('S-dead-edit'), OLD);
  const failure = db.prepare(
    `INSERT INTO record_failures (run_id, flow_id, stage, source_type, source_id, source_version, target_key,
       error_class, error_code, error_message, source_payload, mapped_payload, at)
     VALUES ('run_1', 'flw_1', 'load', 'Charge', ?, '1', ?, 'data', 'c', 'm', ?, ?, ?)`,
  );
  for (const source of ['S-open', 'S-dead', 'S-resolved', 'S-diff']) {
    failure.run(source, `key-${source}`, payload(source), payload(`${source}-mapped`), OLD);
  }
  const outbox = db.prepare(
    `INSERT INTO outbox_writes (flow_id, connection_id, run_id, order_key, target_key, source_type, source_id,
       source_version, source_json, source_hash, payload_json, payload_hash, mapping_id, mapping_version, reason,
       queued_at, state, settled_at) VALUES ('flw_1', 'con_out', 'run_1', ?, ?, 'Charge', ?, '1', ?, 'sh', ?, 'ph',
       'map_1', 1, 'breaker', ?, ?, ?)`,
  );
  outbox.run('a', 'key-sent', 'S-sent', payload('S-sent'), payload('S-sent-mapped'), OLD, 'sent', OLD);
  outbox.run(
    'b',
    'key-waiting',
    'S-waiting',
    payload('S-waiting'),
    payload('S-waiting-m'),
    OLD,
    'waiting',
    null,
  );
  const inbound = db.prepare(
    `INSERT INTO inbound_events (seq, connection_id, source_name, channel, event_id, event_type, received_at,
       content_type, body_sha256, body) VALUES (?, 'con_in', 'partner', 'webhook', ?, 'charge', ?,
       'application/json', 'bh', ?)`,
  );
  inbound.run(1, 'ev-read', OLD, payload('ev-read')); // the flow's cursor is 1: read
  inbound.run(2, 'ev-unread', OLD, payload('ev-unread')); // not read yet: kept
  const delivery = db.prepare(
    `INSERT INTO webhook_deliveries (connection_id, delivery_key, event_id, event_type, body, body_sha256, status,
       created_at, delivered_at) VALUES ('con_hook', ?, ?, 'charge', ?, 'dh', ?, ?, ?)`,
  );
  delivery.run('d1', 'dv-delivered', payload('dv-delivered'), 'delivered', OLD, OLD);
  delivery.run('d2', 'dv-dead', payload('dv-dead'), 'dead', OLD, null);
}
