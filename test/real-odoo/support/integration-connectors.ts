import type { OdooConnector, OdooConnectorLogger } from '../../../main/connectors/odoo/index.js';
import type { OdooSettings } from '../../../shared/domain/connection.js';
import { connectorFor } from '../../integration/odoo/support/connector-setup.js';
import type { RealOdoo } from '../../peers/real-odoo/real-odoo.js';

/**
 * The console's own Odoo connector pointed at a suite's real Odoo, as the least-privilege
 * integration user unless a test passes another secret, logging to `logger` when one is given;
 * `closeAll` ends every connector it made.
 */
export function integrationConnectors(
  odoo: () => RealOdoo,
  logger?: OdooConnectorLogger,
): {
  connect: (overrides?: Partial<Omit<OdooSettings, 'kind'>>, secret?: string, url?: string) => OdooConnector;
  closeAll: () => Promise<void>;
} {
  const open: OdooConnector[] = [];
  return {
    connect: (overrides = {}, secret = odoo().integration.key, url = odoo().url) => {
      const connector = connectorFor(
        url,
        secret,
        {
          database: odoo().database,
          login: odoo().integration.login,
          allowInsecureHttp: true,
          timeoutMs: 30_000,
          ...overrides,
        },
        logger === undefined ? {} : { logger },
      );
      open.push(connector);
      return connector;
    },
    closeAll: async () => {
      for (const connector of open.splice(0)) await connector.close();
    },
  };
}
