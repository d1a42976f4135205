import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  connectionSettingsSchema,
  type Connection,
  type ConnectionKind,
  type ConnectionSettings,
} from '../../shared/domain/connection.js';

interface ConnectionRow {
  id: string;
  name: string;
  kind: ConnectionKind;
  settings: string;
  secret_changed_at: string | null;
  created_at: string;
  updated_at: string;
  created_by: string;
  key_expires_at: string | null;
  key_name: string | null;
  key_checked_at: string | null;
  refused_at: string | null;
  refused_code: string | null;
  refused_message: string | null;
}

/** Connections with what is known of their credentials (a row there exists only once something is). */
const SELECT = `SELECT c.*, k.key_expires_at, k.key_name, k.key_checked_at, k.refused_at, k.refused_code,
  k.refused_message FROM connections c LEFT JOIN connection_credentials k ON k.connection_id = c.id`;

function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    // Parsed again on the way out: a row edited outside the console must not reach a connector as-is.
    settings: connectionSettingsSchema.parse(JSON.parse(row.settings)),
    secret: { isSet: row.secret_changed_at !== null, changedAt: row.secret_changed_at },
    credentials: {
      keyExpiresAt: row.key_expires_at,
      keyName: row.key_name,
      keyCheckedAt: row.key_checked_at,
      refused:
        row.refused_at === null
          ? null
          : { at: row.refused_at, code: row.refused_code ?? '', message: row.refused_message ?? '' },
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
  };
}

export function newConnectionId(): string {
  return `conn_${randomBytes(10).toString('hex')}`;
}

/** Connection settings in SQLite. Secrets are not here: only when one was last set (the vault has it). */
export class ConnectionsRepo {
  private readonly statements;

  constructor(
    db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.statements = {
      list: db.prepare<[], ConnectionRow>(`${SELECT} ORDER BY c.name COLLATE NOCASE`),
      get: db.prepare<[string], ConnectionRow>(`${SELECT} WHERE c.id = ?`),
      byName: db.prepare<[string], { id: string }>(
        'SELECT id FROM connections WHERE name = ? COLLATE NOCASE',
      ),
      insert: db.prepare(
        `INSERT INTO connections (id, name, kind, settings, secret_changed_at, created_at, updated_at, created_by)
         VALUES (@id, @name, @kind, @settings, NULL, @now, @now, @createdBy)`,
      ),
      update: db.prepare(
        'UPDATE connections SET name = @name, settings = @settings, updated_at = @now WHERE id = @id',
      ),
      secretChanged: db.prepare('UPDATE connections SET secret_changed_at = ?, updated_at = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM connections WHERE id = ?'),
    };
  }

  list(): Connection[] {
    return this.statements.list.all().map(toConnection);
  }

  get(id: string): Connection | null {
    const row = this.statements.get.get(id);
    return row ? toConnection(row) : null;
  }

  /** The id of another connection already using this name (names are unique, case-insensitively). */
  nameTakenBy(name: string): string | null {
    return this.statements.byName.get(name)?.id ?? null;
  }

  insert(name: string, settings: ConnectionSettings, createdBy: string): Connection {
    const id = newConnectionId();
    this.statements.insert.run({
      id,
      name,
      kind: settings.kind,
      settings: JSON.stringify(settings),
      now: this.now().toISOString(),
      createdBy,
    });
    const created = this.get(id);
    if (!created) throw new Error('connection vanished after insert');
    return created;
  }

  update(id: string, name: string, settings: ConnectionSettings): Connection | null {
    const changed = this.statements.update.run({
      id,
      name,
      settings: JSON.stringify(settings),
      now: this.now().toISOString(),
    }).changes;
    return changed === 1 ? this.get(id) : null;
  }

  /** Records that the keychain secret was set (a time) or removed (null). */
  markSecret(id: string, changedAt: Date | null): Connection | null {
    const now = this.now().toISOString();
    this.statements.secretChanged.run(changedAt ? changedAt.toISOString() : null, now, id);
    return this.get(id);
  }

  delete(id: string): boolean {
    return this.statements.delete.run(id).changes === 1;
  }
}
