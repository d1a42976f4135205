import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migration002PartnerIntake } from '../../../main/store/migrations/002-partner-intake.js';

/**
 * A fresh SQLite file in its own temp folder with migration 002 applied, configured like the store
 * (WAL, synchronous=FULL, foreign keys) — the partner repositories take a handle, so their tests do
 * not depend on the full store.
 */
export interface PartnerTestDb {
  readonly db: Database.Database;
  readonly dir: string;
  readonly path: string;
  cleanup(): void;
}

export function openPartnerTestDb(): PartnerTestDb {
  const dir = mkdtempSync(join(tmpdir(), 'osc-partner-'));
  const path = join(dir, 'osc.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(migration002PartnerIntake.sql);
  return {
    db,
    dir,
    path,
    cleanup() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A SecretReader over a Map, as the vault would answer (null when unset). */
export function memorySecrets(entries: Record<string, string>): { read(id: string): Promise<string | null> } {
  const map = new Map(Object.entries(entries));
  return { read: (id: string) => Promise.resolve(map.get(id) ?? null) };
}
