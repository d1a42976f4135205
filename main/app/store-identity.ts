import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * A random id given to each store at first start. The vault files secrets under it, so two stores
 * on one machine (a test, a second clinic profile) never read each other's secrets, and a restored
 * backup finds its secrets again.
 */
export function storeIdentity(db: Database.Database): string {
  db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(
    'store_id',
    `store_${randomBytes(8).toString('hex')}`,
  );
  const row = db
    .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    .get('store_id');
  if (!row) throw new Error('store id missing after insert');
  return row.value;
}
