import { createOdooConnector, type OdooConnector } from '../../../main/connectors/odoo/index.js';
import { OdooHttpTransport } from '../../../main/connectors/odoo/http-transport.js';
import { OdooSession } from '../../../main/connectors/odoo/odoo-session.js';
import { Throttle } from '../../../main/connectors/odoo/throttle.js';
import { checkBaseUrl } from '../../../main/connectors/odoo/url-policy.js';
import type { OdooSettings } from '../../../shared/domain/connection.js';

/**
 * The demo's way into Odoo while it prepares master data: the console's own connector for every
 * write (upserts by external ID, server actions), plus plain ORM calls over the console's own
 * session for the questions the connector has no method for (does this external ID exist, may
 * this login create that model). Both use the same URL policy, throttle and key handling.
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
