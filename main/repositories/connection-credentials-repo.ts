import type Database from 'better-sqlite3';

export interface KeyCheck {
  /** ISO 8601 UTC, or 'never'. */
  readonly expiresAt: string;
  readonly name: string | null;
  readonly checkedAt: string;
}

export interface CredentialRefusal {
  readonly at: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Writes what the console learns about a connection's stored credentials (reads go through
 * ConnectionsRepo, which joins it into every Connection). Used by the API (Test connection, a new
 * secret) and by the engine (a run the peer refused).
 */
export class ConnectionCredentialsRepo {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      keyChecked: db.prepare(
        `INSERT INTO connection_credentials (connection_id, key_expires_at, key_name, key_checked_at)
         VALUES (@id, @expiresAt, @name, @checkedAt)
         ON CONFLICT (connection_id) DO UPDATE SET key_expires_at = excluded.key_expires_at,
           key_name = excluded.key_name, key_checked_at = excluded.key_checked_at`,
      ),
      refused: db.prepare(
        `INSERT INTO connection_credentials (connection_id, refused_at, refused_code, refused_message)
         VALUES (@id, @at, @code, @message)
         ON CONFLICT (connection_id) DO UPDATE SET refused_at = excluded.refused_at,
           refused_code = excluded.refused_code, refused_message = excluded.refused_message`,
      ),
      clearRefused: db.prepare(
        `UPDATE connection_credentials SET refused_at = NULL, refused_code = NULL, refused_message = NULL
         WHERE connection_id = ? AND refused_at IS NOT NULL`,
      ),
      forget: db.prepare('DELETE FROM connection_credentials WHERE connection_id = ?'),
      isRefused: db.prepare<[string], { refused_message: string }>(
        'SELECT refused_message FROM connection_credentials WHERE connection_id = ? AND refused_at IS NOT NULL',
      ),
    };
  }

  recordKeyCheck(connectionId: string, check: KeyCheck): void {
    this.statements.keyChecked.run({ id: connectionId, ...check });
  }

  recordRefusal(connectionId: string, refusal: CredentialRefusal): void {
    this.statements.refused.run({ id: connectionId, ...refusal });
  }

  /** True when there was a refusal to clear. */
  clearRefusal(connectionId: string): boolean {
    return this.statements.clearRefused.run(connectionId).changes === 1;
  }

  /** The secret changed: what was known about the old one no longer holds. */
  forget(connectionId: string): void {
    this.statements.forget.run(connectionId);
  }

  /** The refusal message while the connection's credentials stand refused, else null. */
  refusal(connectionId: string): string | null {
    return this.statements.isRefused.get(connectionId)?.refused_message ?? null;
  }
}
