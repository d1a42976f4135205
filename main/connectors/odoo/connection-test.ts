import type { ConnectionCheck, ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import type { OdooSettings } from '../../../shared/domain/connection.js';
import type { FlowUsage } from '../flow-usage.js';
import { KEYCHAIN_UNAVAILABLE_CODE } from '../http/connector-secret.js';
import { ConnectorError } from '../types.js';
import { checkApiKeyExpiry, checkRights, reportMissing } from './connection-test-checks.js';
import type { OdooSession } from './odoo-session.js';
import { planRights, type FieldFacts, type RightsPlan } from './required-rights.js';
import type { CheckedBaseUrl } from './url-policy.js';

/**
 * "Test connection": runs the checks in the order an operator would debug them and stops at the
 * first one that makes the rest meaningless (no point checking access rights on an unreachable
 * host). The rights checked are the ones the connection's flows need (required-rights.ts), each
 * with the flows that need it. Every message says what is wrong in plain words and what to do.
 */

export interface ConnectionTestDeps {
  readonly settings: OdooSettings;
  readonly base: CheckedBaseUrl | ConnectorError;
  readonly session: OdooSession | null;
  /** The flows that read from or write to this connection. */
  readonly flows: readonly FlowUsage[];
  /** Models asked for by name, checked for read, create and write. */
  readonly models: readonly string[];
  readonly signal?: AbortSignal;
}

class Checks {
  readonly list: ConnectionCheck[] = [];
  add(id: string, label: string, status: ConnectionCheck['status'], message: string): void {
    this.list.push({ id, label, status, message });
  }
}

function asConnectorError(error: unknown): ConnectorError {
  return error instanceof ConnectorError
    ? error
    : new ConnectorError(
        'transient',
        'odoo.unexpected',
        error instanceof Error ? error.message : String(error),
      );
}

function transportCheck(checks: Checks, base: CheckedBaseUrl): void {
  if (base.secure) checks.add('tls', 'TLS', 'passed', 'The server certificate is valid for this host');
  else if (base.loopback) checks.add('tls', 'TLS', 'skipped', 'Plain http to this computer (loopback)');
  else
    checks.add(
      'tls',
      'TLS',
      'warning',
      'Plain http over the network: the API key travels unencrypted. Use https.',
    );
}

async function reachability(
  checks: Checks,
  deps: ConnectionTestDeps,
  session: OdooSession,
  facts: Record<string, string>,
): Promise<boolean> {
  const origin = deps.base instanceof ConnectorError ? '' : deps.base.origin;
  try {
    const info = await session.describe(deps.signal);
    checks.add('reachable', 'Server reachable', 'passed', `${origin} answers`);
    if (!(deps.base instanceof ConnectorError)) transportCheck(checks, deps.base);
    checks.add(
      'version',
      'Odoo version',
      'passed',
      `Odoo ${info.serverVersion}, using ${info.protocol === 'json-2' ? 'JSON-2' : 'JSON-RPC'}`,
    );
    facts.serverVersion = info.serverVersion;
    facts.protocol = info.protocol;
    return true;
  } catch (error) {
    const failure = asConnectorError(error);
    if (failure.code.startsWith('tls.')) {
      checks.add('reachable', 'Server reachable', 'passed', `${origin} accepts connections`);
      checks.add(
        'tls',
        'TLS',
        'failed',
        `${failure.message}: the certificate is not trusted for this host. Install a valid certificate or add the clinic CA.`,
      );
    } else if (failure.code.startsWith('net.')) {
      checks.add(
        'reachable',
        'Server reachable',
        'failed',
        `Cannot reach Odoo: ${failure.message}. Check the URL, the network and that Odoo is running.`,
      );
    } else {
      // The server answered over HTTP(S), so the transport (and TLS) is fine; what answered is not.
      checks.add('reachable', 'Server reachable', 'passed', `${origin} answers`);
      if (!(deps.base instanceof ConnectorError)) transportCheck(checks, deps.base);
      if (failure.class === 'configuration') checks.add('version', 'Odoo version', 'failed', failure.message);
      else
        checks.add(
          'version',
          'Odoo version',
          'failed',
          `The server answers but not like Odoo (${failure.message}). Check the URL.`,
        );
    }
    return false;
  }
}

async function login(
  checks: Checks,
  deps: ConnectionTestDeps,
  session: OdooSession,
  facts: Record<string, string>,
): Promise<boolean> {
  const { database, login: user } = deps.settings;
  try {
    const uid = await session.authenticate(deps.signal);
    checks.add('database', 'Database', 'passed', `Database '${database}' exists`);
    checks.add('credentials', 'Credentials', 'passed', `Logged in as '${user}'`);
    facts.uid = String(uid);
    return true;
  } catch (error) {
    const failure = asConnectorError(error);
    if (failure.code === KEYCHAIN_UNAVAILABLE_CODE) {
      checks.add('credentials', 'Credentials', 'failed', failure.message);
    } else if (failure.code === 'odoo.database-missing') {
      checks.add(
        'database',
        'Database',
        'failed',
        `There is no database '${database}' on this server. Check the database name.`,
      );
    } else if (failure.class === 'authentication' || failure.code === 'odoo.no-secret') {
      checks.add('database', 'Database', 'passed', `Database '${database}' exists`);
      const what = deps.settings.authMethod === 'api-key' ? 'API key' : 'password';
      checks.add(
        'credentials',
        'Credentials',
        'failed',
        failure.code === 'odoo.no-secret'
          ? `${failure.message}.`
          : `Odoo rejected the login '${user}' with the stored ${what}. Check the login and enter the ${what} again.`,
      );
    } else {
      checks.add(
        'database',
        'Database',
        'failed',
        `Could not open database '${database}': ${failure.message}`,
      );
    }
    return false;
  }
}

function summarize(
  checks: readonly ConnectionCheck[],
  facts: Readonly<Record<string, string>>,
  plan: RightsPlan | null,
): string {
  const failed = checks.find((check) => check.status === 'failed');
  if (failed !== undefined) return failed.message;
  const warning = checks.find((check) => check.status === 'warning');
  const models = new Set(plan?.rights.map((need) => need.model)).size;
  const rights =
    plan === null || plan.rights.length === 0
      ? 'no flow uses this connection yet, so no rights were checked'
      : `the user has the ${plan.rights.length} right(s) on ${models} model(s)${plan.flows > 0 ? ` that ${plan.flows} flow(s) need` : ''}`;
  const base = `Connected to Odoo ${facts.serverVersion ?? '?'} over ${facts.protocol === 'json-2' ? 'JSON-2' : 'JSON-RPC'}; ${rights}`;
  return warning === undefined ? `${base}.` : `${base}, with a warning: ${warning.message}`;
}

function fieldsOf(session: OdooSession, signal?: AbortSignal) {
  return async (model: string): Promise<ReadonlyMap<string, FieldFacts>> => {
    const answer = await session.executeKw(
      model,
      'fields_get',
      [],
      { attributes: ['type', 'relation'] },
      signal,
    );
    const fields = new Map<string, FieldFacts>();
    if (typeof answer !== 'object' || answer === null) return fields;
    for (const [name, value] of Object.entries(answer)) {
      const facts = value as { type?: unknown; relation?: unknown } | null;
      if (typeof facts?.type !== 'string') continue;
      fields.set(name, {
        type: facts.type,
        relation: typeof facts.relation === 'string' && facts.relation !== '' ? facts.relation : null,
      });
    }
    return fields;
  };
}

/** Plans the rights from the flows; a failure to read a model's fields becomes a failed check. */
async function plannedRights(
  checks: Checks,
  deps: ConnectionTestDeps,
  session: OdooSession,
): Promise<RightsPlan | null> {
  try {
    return await planRights(deps.flows, fieldsOf(session, deps.signal), deps.models);
  } catch (error) {
    const failure = asConnectorError(error);
    checks.add(
      'flows',
      "Flows' fields",
      'failed',
      `Could not read the fields the flows write from Odoo: ${failure.message}`,
    );
    return null;
  }
}

export async function runConnectionTest(deps: ConnectionTestDeps): Promise<ConnectionTestResult> {
  const started = performance.now();
  const checks = new Checks();
  const facts: Record<string, string> = {};
  let plan: RightsPlan | null = null;
  const finish = (): ConnectionTestResult => ({
    ok: !checks.list.some((check) => check.status === 'failed'),
    summary: summarize(checks.list, facts, plan),
    checks: checks.list,
    facts,
    durationMs: Math.round(performance.now() - started),
  });

  if (deps.base instanceof ConnectorError || deps.session === null) {
    const message = deps.base instanceof ConnectorError ? deps.base.message : 'The URL is not usable';
    checks.add('url', 'URL', 'failed', message);
    return finish();
  }
  checks.add('url', 'URL', 'passed', deps.base.origin + deps.base.pathPrefix);
  const session = deps.session;
  if (!(await reachability(checks, deps, session, facts))) return finish();
  if (!(await login(checks, deps, session, facts))) return finish();
  const info = await session.describe(deps.signal);
  if (info.protocol === 'json-2') {
    const uid = await checkApiKeyExpiry(session, checks.add.bind(checks), facts, deps.signal);
    if (uid === null) return finish();
  }
  plan = await plannedRights(checks, deps, session);
  if (plan === null) return finish();
  reportMissing(plan, checks.add.bind(checks));
  await checkRights(
    session,
    info.protocol,
    deps.settings.login,
    plan.rights,
    checks.add.bind(checks),
    deps.signal,
  );
  return finish();
}
