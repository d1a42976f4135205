import type Database from 'better-sqlite3';

/** The `settings` row holding the payload retention age in days; no row: payloads are kept forever. */
export const PAYLOAD_RETENTION_KEY = 'retention.payload-days';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../../../shared/contract/ops/retention-ops.js';

/**
 * The configured age after which settled payloads are pruned, or null (never: the default, so a
 * console never drops data its administrator did not decide to drop). A value that is not a whole
 * number of days in range reads as null rather than pruning by a guess.
 */
export function readPayloadRetentionDays(db: Database.Database): number | null {
  const row = db
    .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    .get(PAYLOAD_RETENTION_KEY);
  if (row === undefined) return null;
  const days = Number(row.value);
  return isRetentionDays(days) ? days : null;
}

export function writePayloadRetentionDays(db: Database.Database, days: number | null): void {
  if (days === null) {
    db.prepare('DELETE FROM settings WHERE key = ?').run(PAYLOAD_RETENTION_KEY);
    return;
  }
  if (!isRetentionDays(days)) {
    throw new RangeError(`payload retention is ${MIN_RETENTION_DAYS}-${MAX_RETENTION_DAYS} whole days`);
  }
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(PAYLOAD_RETENTION_KEY, String(days));
}

export function isRetentionDays(days: number): boolean {
  return Number.isInteger(days) && days >= MIN_RETENTION_DAYS && days <= MAX_RETENTION_DAYS;
}
