import type Database from 'better-sqlite3';
import { ROLES, type Role } from '../../shared/contract/roles.js';
import type { Operator } from '../../shared/domain/operator.js';

interface OperatorRow {
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface NewOperator {
  readonly username: string;
  readonly displayName: string;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
}

export interface OperatorChanges {
  readonly displayName?: string | undefined;
  readonly roles?: readonly Role[] | undefined;
  readonly disabled?: boolean | undefined;
}

function parseRoles(json: string): Role[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((role): role is Role => (ROLES as readonly unknown[]).includes(role));
}

function toOperator(row: OperatorRow): Operator {
  return {
    username: row.username,
    displayName: row.display_name,
    roles: parseRoles(row.roles),
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}

/** Operator accounts. The password hash stays in this module: nothing above it ever sees one. */
export class OperatorsRepo {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.statements = {
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM operators'),
      get: db.prepare<[string], OperatorRow>('SELECT * FROM operators WHERE username = ?'),
      list: db.prepare<[], OperatorRow>('SELECT * FROM operators ORDER BY username'),
      insert: db.prepare(
        `INSERT INTO operators (username, display_name, password_hash, roles, disabled, created_at, updated_at)
         VALUES (@username, @displayName, @passwordHash, @roles, 0, @now, @now)`,
      ),
      update: db.prepare(
        `UPDATE operators SET display_name = @displayName, roles = @roles, disabled = @disabled, updated_at = @now
         WHERE username = @username`,
      ),
      setPassword: db.prepare('UPDATE operators SET password_hash = ?, updated_at = ? WHERE username = ?'),
      touchLogin: db.prepare('UPDATE operators SET last_login_at = ? WHERE username = ?'),
    };
  }

  count(): number {
    return this.statements.count.get()?.n ?? 0;
  }

  get(username: string): Operator | null {
    const row = this.statements.get.get(username);
    return row ? toOperator(row) : null;
  }

  passwordHash(username: string): string | null {
    return this.statements.get.get(username)?.password_hash ?? null;
  }

  list(): Operator[] {
    return this.statements.list.all().map(toOperator);
  }

  insert(operator: NewOperator): Operator {
    this.statements.insert.run({
      username: operator.username,
      displayName: operator.displayName,
      passwordHash: operator.passwordHash,
      roles: JSON.stringify([...new Set(operator.roles)]),
      now: this.now().toISOString(),
    });
    const created = this.get(operator.username);
    if (!created) throw new Error('operator vanished after insert');
    return created;
  }

  /** Only while no operator exists: the first-run administrator, created atomically. */
  insertFirst(operator: NewOperator): Operator | null {
    return this.db.transaction(() => (this.count() === 0 ? this.insert(operator) : null)).immediate();
  }

  update(username: string, changes: OperatorChanges): Operator | null {
    const current = this.statements.get.get(username);
    if (!current) return null;
    this.statements.update.run({
      username,
      displayName: changes.displayName ?? current.display_name,
      roles: changes.roles ? JSON.stringify([...new Set(changes.roles)]) : current.roles,
      disabled: changes.disabled === undefined ? current.disabled : changes.disabled ? 1 : 0,
      now: this.now().toISOString(),
    });
    return this.get(username);
  }

  setPasswordHash(username: string, passwordHash: string): boolean {
    return this.statements.setPassword.run(passwordHash, this.now().toISOString(), username).changes === 1;
  }

  recordLogin(username: string): void {
    this.statements.touchLogin.run(this.now().toISOString(), username);
  }

  /** Active administrators other than `username`: the last one may not be demoted or disabled. */
  otherActiveAdministrators(username: string): number {
    return this.list().filter(
      (operator) =>
        operator.username !== username && !operator.disabled && operator.roles.includes('administrator'),
    ).length;
  }
}
