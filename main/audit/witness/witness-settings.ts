import type Database from 'better-sqlite3';
import { checkOutboundUrl } from '../../connectors/http/outbound-url-policy.js';

/** The `settings` row holding the witness URL; no row: no witness (checkpoints stay local). */
export const WITNESS_URL_KEY = 'audit.witness-url';
/** The first checkpoint owed to the witness: the newest one when it was configured (no backlog flood). */
export const WITNESS_FROM_KEY = 'audit.witness-from-checkpoint';
/** The HMAC signing secret, filed in the OS keychain like a connection secret; never in SQLite. */
export const WITNESS_SECRET_VAULT_ID = 'audit-witness-signing-secret';

export interface WitnessSettings {
  readonly url: string;
  readonly fromCheckpointId: number;
}

export function readWitnessSettings(db: Database.Database): WitnessSettings | null {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const url = get.get(WITNESS_URL_KEY)?.value;
  if (url === undefined) return null;
  const from = Number(get.get(WITNESS_FROM_KEY)?.value ?? '0');
  return { url, fromCheckpointId: Number.isSafeInteger(from) && from >= 0 ? from : 0 };
}

/** Saves the URL (validated) and where deliveries start, or removes both (null: no witness). */
export function writeWitnessSettings(db: Database.Database, settings: WitnessSettings | null): void {
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  const put = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  db.transaction(() => {
    if (settings === null) {
      remove.run(WITNESS_URL_KEY);
      remove.run(WITNESS_FROM_KEY);
      return;
    }
    put.run(WITNESS_URL_KEY, witnessUrl(settings.url).href);
    put.run(WITNESS_FROM_KEY, String(settings.fromCheckpointId));
  })();
}

/**
 * The outbound URL policy of every connector: https anywhere, plain http only to this machine (a
 * witness on 127.0.0.1, a test receiver), no credentials in the URL (they belong in the keychain).
 * Throws a ConnectorError whose message says what to change.
 */
export function witnessUrl(raw: string): URL {
  return checkOutboundUrl(raw, false);
}
