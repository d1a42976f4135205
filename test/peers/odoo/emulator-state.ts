import { groupsAllow, modelAccessError, type Operation } from './access-rights.js';
import { Database, type Clock } from './database.js';
import { modelsFor } from './models/index.js';
import { RowLocks } from './row-locks.js';

/**
 * Everything the emulator knows: the database with its models, the users with their passwords,
 * API keys and access rights, and a log of calls tests can count. It stands for one Odoo database.
 */

export type { Operation } from './access-rights.js';

export interface EmulatorUser {
  readonly uid: number;
  readonly login: string;
  readonly name: string;
  readonly password: string;
  /** The user's groups by external id, implied ones included (see access-rights.ts). */
  readonly groups: readonly string[];
  /** The user's own res.partner id (Odoo creates one per user when none is given). */
  readonly partnerId?: number;
}

export interface EmulatorApiKey {
  readonly key: string;
  readonly uid: number;
  readonly name: string;
  /** Odoo datetime ('YYYY-MM-DD HH:MM:SS', UTC) after which the key stops working; null: never. */
  expiresAt: string | null;
}

export interface CallLogEntry {
  readonly protocol: 'json-rpc' | 'json-2';
  readonly service: string;
  readonly model: string | null;
  readonly method: string;
  readonly records: number;
}

export class EmulatorState {
  readonly db: Database;
  readonly users = new Map<number, EmulatorUser>();
  readonly apiKeys: EmulatorApiKey[] = [];
  readonly calls: CallLogEntry[] = [];
  /** Requests being served now, the most ever served at once, and the total (throttle evidence). */
  readonly traffic = { inFlight: 0, peakInFlight: 0, requests: 0 };
  /** Rows a `load` still in progress holds (concurrent loads on them fail to serialize). */
  readonly rowLocks = new RowLocks();

  constructor(
    readonly database: string,
    readonly version: '17.0' | '19.0',
    clock?: Clock,
  ) {
    this.db = new Database(modelsFor(version), clock, version);
  }

  addUser(user: EmulatorUser): void {
    this.users.set(user.uid, user);
    if (!this.db.exists('res.users', user.uid)) {
      const partner = user.partnerId ?? false;
      this.db.create('res.users', { name: user.name, login: user.login, partner_id: partner }, 1, user.uid);
    }
  }

  addApiKey(apiKey: EmulatorApiKey): void {
    this.apiKeys.push(apiKey);
    // Odoo 17 keeps no expiry on the key record (19 does): the emulator's own list holds it.
    const expiry = this.version === '19.0' ? { expiration_date: apiKey.expiresAt ?? false } : {};
    this.db.create('res.users.apikeys', { name: apiKey.name, user_id: apiKey.uid, ...expiry }, 1);
  }

  /** JSON-RPC accepts the password or any live API key of the user in the password position. */
  login(login: string, secret: unknown): number | false {
    const user = [...this.users.values()].find((candidate) => candidate.login === login);
    if (user === undefined || typeof secret !== 'string') return false;
    return this.secretMatches(user.uid, secret) ? user.uid : false;
  }

  secretMatches(uid: number, secret: unknown): boolean {
    const user = this.users.get(uid);
    if (user === undefined || typeof secret !== 'string') return false;
    return user.password === secret || this.liveKey(secret)?.uid === uid;
  }

  /** The user of a bearer API key, or null when the key is unknown or expired. */
  bearerUser(key: string): number | null {
    return this.liveKey(key)?.uid ?? null;
  }

  /** Make every API key expire now (the auth-expiry fault). */
  expireApiKeys(): void {
    const past = '2000-01-01 00:00:00';
    for (const apiKey of this.apiKeys) apiKey.expiresAt = past;
    const ids = this.db.idsWhere('res.users.apikeys', () => true);
    if (ids.length > 0 && this.version === '19.0')
      this.db.write('res.users.apikeys', ids, { expiration_date: past }, 1);
  }

  /** uid 1 is Odoo's superuser (OdooBot): internal work such as seeding bypasses access rights. */
  mayAccess(uid: number, model: string, operation: Operation): boolean {
    if (uid === 1) return true;
    const user = this.users.get(uid);
    return user !== undefined && groupsAllow(user.groups, model, operation);
  }

  checkAccess(uid: number, model: string, operation: Operation): void {
    if (this.mayAccess(uid, model, operation)) return;
    throw modelAccessError(model, this.db.model(model).description, operation);
  }

  inGroup(uid: number, group: string): boolean {
    return this.users.get(uid)?.groups.includes(group) ?? false;
  }

  resolveXmlid(fullName: string): { model: string; resId: number } | null {
    const row = this.xmlidRow(fullName);
    return row === null ? null : { model: row.model, resId: row.resId };
  }

  /** The ir.model.data row of `module.name` whose record still exists, or null. */
  xmlidRow(fullName: string): { dataId: number; model: string; resId: number } | null {
    const dot = fullName.indexOf('.');
    if (dot <= 0) return null;
    const [id] = this.xmlidRows(fullName.slice(0, dot), fullName.slice(dot + 1));
    const row = id === undefined ? undefined : this.db.record('ir.model.data', id);
    if (row === undefined || typeof row.model !== 'string' || typeof row.res_id !== 'number') return null;
    return this.db.exists(row.model, row.res_id)
      ? { dataId: row.id, model: row.model, resId: row.res_id }
      : null;
  }

  bindXmlid(fullName: string, model: string, resId: number, uid: number): void {
    const dot = fullName.indexOf('.');
    const module = fullName.slice(0, dot);
    const name = fullName.slice(dot + 1);
    const stale = this.xmlidRows(module, name);
    if (stale.length > 0) this.db.unlink('ir.model.data', stale);
    this.db.create('ir.model.data', { module, name, model, res_id: resId }, uid);
  }

  /** ir.model.data ids of `module.name` (at most one: the pair is unique), through the name index. */
  private xmlidRows(module: string, name: string): number[] {
    return this.db
      .idsWithValue('ir.model.data', 'name', name)
      .filter((id) => this.db.record('ir.model.data', id)?.module === module);
  }

  private liveKey(secret: string): EmulatorApiKey | undefined {
    const now = this.db.now();
    return this.apiKeys.find(
      (candidate) => candidate.key === secret && (candidate.expiresAt === null || candidate.expiresAt > now),
    );
  }
}
