import type { Connection } from '../../shared/domain/connection.js';
import type { ConnectionTestResult } from '../../shared/domain/connection-test.js';
import { readSecretState } from '../vault/read-secret.js';
import type { SecretReader } from '../vault/types.js';
import { ConnectionTestReport } from './connection-test-report.js';
import type { FlowUsage } from './flow-usage.js';
import { testCsvDrop } from './csv/index.js';
import { testFhirConnection } from './fhir/index.js';
import { secretCheck } from './http/connector-secret.js';
import { createOdooConnector } from './odoo/index.js';
import { testOutboundWebhook } from './webhook/index.js';

export interface TestConnectionRequest {
  readonly connection: Connection;
  readonly secrets: SecretReader;
  /** The flows that read from or write to this connection: an Odoo test checks the rights they need. */
  readonly flows?: readonly FlowUsage[] | undefined;
  /** Further Odoo models to check read, create and write on, named by the caller. */
  readonly models?: readonly string[] | undefined;
}

/** "Test connection" for every kind: each connector says exactly what is wrong, and never throws. */
export async function testConnection(request: TestConnectionRequest): Promise<ConnectionTestResult> {
  const { connection, secrets } = request;
  const settings = connection.settings;
  switch (settings.kind) {
    case 'odoo': {
      const connector = createOdooConnector({ connectionId: connection.id, settings, secrets });
      try {
        return await connector.testConnection({
          flows: request.flows ?? [],
          models: request.models ?? [],
        });
      } finally {
        await connector.close();
      }
    }
    case 'fhir':
      return testFhirConnection(connection.id, settings, secrets);
    case 'webhook-out':
      return testOutboundWebhook(connection.id, settings, secrets);
    case 'csv-drop':
      return testCsvDrop(settings);
    case 'webhook-in':
      return testInboundWebhook(connection.id, secrets);
  }
}

/** An inbound webhook has no peer to call: what can be checked is that its signing secret is saved. */
async function testInboundWebhook(
  connectionId: string,
  secrets: SecretReader,
): Promise<ConnectionTestResult> {
  const report = new ConnectionTestReport();
  report.add(
    secretCheck(await readSecretState(secrets, connectionId), {
      label: 'Signing secret saved',
      saved: 'Saved in the OS keychain.',
      missing: 'No signing secret is saved: set one, and give the same secret to the partner.',
    }),
  );
  return report.finish('The signing secret is saved; partners can send signed events.');
}
