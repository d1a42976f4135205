import type { FhirSettings } from '../../../shared/domain/connection.js';
import type { SecretReader } from '../../vault/types.js';
import { connectorSecret } from '../http/connector-secret.js';
import { ConnectorError } from '../types.js';

/**
 * The Authorization header for one request, built from the keychain at call time: the secret is never
 * kept in a field, so a rotated token takes effect on the next call and a heap dump holds it only
 * briefly.
 */
export async function fhirAuthorization(
  settings: Pick<FhirSettings, 'authMethod' | 'username'>,
  connectionId: string,
  secrets: SecretReader,
): Promise<Record<string, string>> {
  if (settings.authMethod === 'none') return {};
  const what = settings.authMethod === 'bearer' ? 'bearer token' : 'password';
  const secret = await connectorSecret(
    secrets,
    connectionId,
    () =>
      new ConnectorError(
        'authentication',
        'fhir.no-secret',
        `No ${what} is saved for this FHIR connection. Save it under the connection's secret.`,
      ),
  );
  if (settings.authMethod === 'bearer') return { authorization: `Bearer ${secret}` };
  if (settings.username === '') {
    throw new ConnectorError('configuration', 'fhir.no-username', 'Basic authentication needs a user name.');
  }
  return {
    authorization: `Basic ${Buffer.from(`${settings.username}:${secret}`, 'utf8').toString('base64')}`,
  };
}
