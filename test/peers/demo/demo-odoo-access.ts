import { createOdooConnector, type OdooConnector } from '../../../main/connectors/odoo/index.js';
import { OdooHttpTransport } from '../../../main/connectors/odoo/http-transport.js';
import { OdooSession } from '../../../main/connectors/odoo/odoo-session.js';
import { Throttle } from '../../../main/connectors/odoo/throttle.js';
import { checkBaseUrl } from '../../../main/connectors/odoo/url-policy.js';
import { ConnectorError } from '../../../main/connectors/types.js';
import type { OdooSettings } from '../../../shared/domain/connection.js';
import type { RealOdooTarget } from './demo-args.js';
import { MODULE } from './demo-mappings.js';

/**
 * The demo's way into Odoo while it prepares master data and reads the target's models: the
 * console's own connector for every write (upserts by external ID, server actions), plus plain ORM
 * calls over the console's own session for the questions the connector has no method for (does
 * this external ID exist, may this login create that model, which fields does a model have). Both
 * use the same URL policy, throttle and key handling.
 */
export interface DemoOdooAccess {
  readonly connector: OdooConnector;
  call(
    model: string,
    method: string,
    args: readonly unknown[],
    kwargs?: Readonly<Record<string, unknown>>,
  ): Promise<unknown>;
  close(): Promise<void>;
}

const CONNECTION_ID = 'demo-master-data';

/** The settings the demo uses for its own calls to an Odoo (the emulator or a real one). */
export function demoOdooSettings(odoo: RealOdooTarget): OdooSettings {
  return {
    kind: 'odoo',
    baseUrl: odoo.url,
    database: odoo.database,
    login: odoo.login,
    authMethod: 'api-key',
    protocol: 'auto',
    externalIdModule: MODULE,
    allowInsecureHttp: /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(odoo.url),
    maxConcurrentCalls: 2,
    maxCallsPerSecond: 50,
    timeoutMs: 30_000,
  };
}

export function openDemoOdoo(settings: OdooSettings, apiKey: string): DemoOdooAccess {
  const secrets = { read: () => Promise.resolve(apiKey) };
  const connector = createOdooConnector({ connectionId: CONNECTION_ID, settings, secrets });
  const http = new OdooHttpTransport({
    base: checkBaseUrl(settings.baseUrl, settings.allowInsecureHttp),
    timeoutMs: settings.timeoutMs,
    maxConnections: settings.maxConcurrentCalls,
    throttle: new Throttle(settings),
  });
  const session = new OdooSession(http, settings, CONNECTION_ID, secrets);
  return {
    connector,
    call: (model, method, args, kwargs = {}) => session.executeKw(model, method, args, kwargs),
    close: async () => {
      await Promise.all([connector.close(), http.close()]);
    },
  };
}

export interface FoundExternalId {
  readonly model: string;
  /** Null when the login may not read the record (it exists all the same). */
  readonly resId: number | null;
}

/**
 * `ir.model.data.check_object_reference` answers for any login (reading ir.model.data itself needs
 * Administration rights): [model, id], [model, false] when the record is not readable, or a
 * ValueError naming the missing external ID.
 */
export async function findExternalId(
  odoo: DemoOdooAccess,
  module: string,
  key: string,
): Promise<FoundExternalId | null> {
  try {
    const answer = await odoo.call('ir.model.data', 'check_object_reference', [module, key]);
    if (!Array.isArray(answer) || typeof answer[0] !== 'string')
      throw new Error(`check_object_reference answered ${JSON.stringify(answer)} for ${module}.${key}`);
    return { model: answer[0], resId: typeof answer[1] === 'number' ? answer[1] : null };
  } catch (error) {
    if (error instanceof ConnectorError && error.message.includes('External ID not found')) return null;
    throw error;
  }
}
