import {
  createOdooConnector,
  type OdooConnector,
  type OdooConnectorLogger,
} from '../../../../main/connectors/odoo/index.js';
import type { SecretReader } from '../../../../main/vault/types.js';
import { odooSettingsSchema, type OdooSettings } from '../../../../shared/domain/connection.js';

/** Test doubles and setup for connector tests: an in-memory SecretReader and settings with defaults. */

export const CONNECTION_ID = 'conn_testodoo0001';

export class MemorySecrets implements SecretReader {
  readonly reads: string[] = [];
  constructor(private readonly secrets: Map<string, string> = new Map()) {}
  set(connectionId: string, secret: string): this {
    this.secrets.set(connectionId, secret);
    return this;
  }
  read(connectionId: string): Promise<string | null> {
    this.reads.push(connectionId);
    return Promise.resolve(this.secrets.get(connectionId) ?? null);
  }
}

export function odooSettings(
  baseUrl: string,
  overrides: Partial<Omit<OdooSettings, 'kind'>> = {},
): OdooSettings {
  return odooSettingsSchema.parse({
    kind: 'odoo',
    baseUrl,
    database: 'odoo17',
    login: 'admin',
    maxConcurrentCalls: 4,
    maxCallsPerSecond: 100,
    timeoutMs: 5000,
    ...overrides,
  });
}

export function connectorFor(
  baseUrl: string,
  secret: string | null,
  overrides: Partial<Omit<OdooSettings, 'kind'>> = {},
  extra: { ca?: string; maxResponseBytes?: number; logger?: OdooConnectorLogger } = {},
): OdooConnector {
  const secrets = new MemorySecrets();
  if (secret !== null) secrets.set(CONNECTION_ID, secret);
  return createOdooConnector({
    connectionId: CONNECTION_ID,
    settings: odooSettings(baseUrl, overrides),
    secrets,
    ...extra,
  });
}

/** A key that looks nothing like a real one (fixtures must not look real). */
export const TEST_API_KEY = 'test-key-not-a-secret-0001';
