import type { EmulatorState } from './emulator-state.js';
import { accessDenied, keyError, OdooServerError, typeError } from './odoo-error.js';
import { callKw, NO_WORK, type OrmOutcome } from './orm.js';

/**
 * The JSON-RPC services Odoo exposes at /jsonrpc: `common` (version, login, authenticate), `db`
 * (list, server_version) and `object` (execute_kw, execute), plus /web/session/authenticate.
 */

export function versionInfo(version: '17.0' | '19.0'): Record<string, unknown> {
  const major = version === '19.0' ? 19 : 17;
  return {
    server_version: version,
    server_version_info: [major, 0, 0, 'final', 0, ''],
    server_serie: version,
    protocol_version: 1,
  };
}

function checkDatabase(state: EmulatorState, db: unknown): void {
  if (db !== state.database) {
    throw new OdooServerError(
      'psycopg2.OperationalError',
      `connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "${String(db)}" does not exist\n`,
    );
  }
}

function asArgs(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw typeError('args must be a list');
  return value;
}

function common(state: EmulatorState, method: string, args: readonly unknown[]): unknown {
  switch (method) {
    case 'version':
      return versionInfo(state.version);
    case 'about':
      return 'See http://openerp.com';
    case 'login':
    case 'authenticate': {
      const [db, login, secret] = args;
      checkDatabase(state, db);
      return state.login(String(login), secret);
    }
    default:
      throw keyError(`exp_${method}`);
  }
}

function database(state: EmulatorState, method: string): unknown {
  if (method === 'list') return [state.database];
  if (method === 'server_version') return state.version;
  throw keyError(`exp_${method}`);
}

function object(state: EmulatorState, method: string, args: readonly unknown[]): OrmOutcome {
  if (method !== 'execute_kw' && method !== 'execute') throw keyError(`exp_${method}`);
  const [db, uid, secret, model, modelMethod, ...rest] = args;
  checkDatabase(state, db);
  if (typeof uid !== 'number' || !state.secretMatches(uid, secret)) throw accessDenied();
  if (typeof model !== 'string' || typeof modelMethod !== 'string')
    throw typeError('execute_kw needs a model and a method');
  const callArgs = method === 'execute_kw' ? asArgs(rest[0]) : rest;
  const rawKwargs = method === 'execute_kw' ? rest[1] : undefined;
  const kwargs =
    typeof rawKwargs === 'object' && rawKwargs !== null && !Array.isArray(rawKwargs)
      ? (rawKwargs as Record<string, unknown>)
      : {};
  state.calls.push({ protocol: 'json-rpc', service: 'object', model, method: modelMethod, records: 0 });
  return callKw(state, uid, model, modelMethod, callArgs, kwargs);
}

export function dispatchService(
  state: EmulatorState,
  service: unknown,
  method: unknown,
  rawArgs: unknown,
): OrmOutcome {
  const args = asArgs(rawArgs);
  const name = String(method);
  if (service === 'object') return object(state, name, args);
  state.calls.push({ protocol: 'json-rpc', service: String(service), model: null, method: name, records: 0 });
  if (service === 'common') return { result: common(state, name, args), work: NO_WORK };
  if (service === 'db') return { result: database(state, name), work: NO_WORK };
  throw keyError(String(service));
}

/** /web/session/authenticate: passwords only; API keys are refused for web sessions. */
export function webAuthenticate(state: EmulatorState, params: Readonly<Record<string, unknown>>): unknown {
  checkDatabase(state, params.db);
  const user = [...state.users.values()].find((candidate) => candidate.login === params.login);
  if (user === undefined || user.password !== params.password) throw accessDenied();
  return {
    uid: user.uid,
    name: user.name,
    username: user.login,
    db: state.database,
    is_system: user.groups.includes('base.group_system'),
  };
}
