import { createOdooConnector, type OdooConnector } from '../../../main/connectors/odoo/index.js';
import { odooSettingsSchema } from '../../../shared/domain/connection.js';
import type { RealOdoo } from '../../peers/real-odoo/real-odoo.js';

/**
 * Which real Odoo servers the odoo-real bench measures, and the connector it measures them with.
 * The variables are the ones `.ci/run` uses for its two real-Odoo stages (which default them to the
 * sibling server folders; `npm run test:odoo` and this bench read only what is set, so a run says
 * what it measured instead of guessing paths).
 */

export const SERVER_VARIABLES = ['ODOO_SERVER_DIR', 'ODOO19_SERVER_DIR'] as const;

export interface ServerChoice {
  readonly variable: string;
  /** The environment the harness reads, with ODOO_SERVER_DIR pointing at this server's folder. */
  readonly env: NodeJS.ProcessEnv;
}

export function serversToMeasure(env: NodeJS.ProcessEnv = process.env): ServerChoice[] {
  return SERVER_VARIABLES.flatMap((variable) => {
    const dir = env[variable];
    return dir === undefined || dir === '' ? [] : [{ variable, env: { ...env, ODOO_SERVER_DIR: dir } }];
  });
}

/** 19 introduced JSON-2; the connector must pick it there on its own, and JSON-RPC before. */
export function naturalProtocol(series: string): 'json-rpc' | 'json-2' {
  return Number.parseFloat(series) >= 19 ? 'json-2' : 'json-rpc';
}

/** The connector as a flow uses it (protocol 'auto'), one call at a time, as the integration user. */
export function connectorFor(odoo: RealOdoo): OdooConnector {
  return createOdooConnector({
    connectionId: `conn_benchreal${odoo.series.replace('.', '')}`,
    settings: odooSettingsSchema.parse({
      kind: 'odoo',
      baseUrl: odoo.url,
      database: odoo.database,
      login: odoo.integration.login,
      maxConcurrentCalls: 1,
      maxCallsPerSecond: 100,
      timeoutMs: 300_000,
    }),
    secrets: { read: () => Promise.resolve(odoo.integration.key) },
  });
}

/** Throws unless the connector detected the server's series and chose its natural protocol. */
export async function checkProtocol(connector: OdooConnector, series: string): Promise<string> {
  const info = await connector.describe();
  const wanted = naturalProtocol(series);
  if (info.protocol !== wanted)
    throw new Error(`odoo-real: the connector spoke ${info.protocol} to Odoo ${series}, not ${wanted}`);
  return info.protocol;
}
