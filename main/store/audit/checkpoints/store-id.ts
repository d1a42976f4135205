import type Database from 'better-sqlite3';

/** The store's id (settings.store_id), read without writing: the CLI's read-only connections use it too. */
export function readStoreId(db: Database.Database): string {
  const row = db
    .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    .get('store_id');
  if (row === undefined) throw new Error('this store has no store id yet: start the console once');
  return row.value;
}
