import type { CapabilityStatement } from 'fhir/r4';
import type { ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import type { FhirSettings } from '../../../shared/domain/connection.js';
import type { SecretReader } from '../../vault/types.js';
import { ConnectionTestReport, connectorMessage, unreachableCheck } from '../connection-test-report.js';
import { secretCheck } from '../http/connector-secret.js';
import { checkOutboundUrl, isLoopbackHost } from '../http/outbound-url-policy.js';
import { readSecretState } from '../../vault/read-secret.js';
import { FhirHttp, FhirHttpError } from './fhir-http.js';

/**
 * "Test connection" for a FHIR server: URL policy, secret present, reachable over verified TLS,
 * speaks R4, and accepts our credential on a real search. Stops at the first failure that makes the
 * later checks meaningless and says which; never throws.
 */
export async function testFhirConnection(
  connectionId: string,
  settings: FhirSettings,
  secrets: SecretReader,
  options: { readonly http?: FhirHttp } = {},
): Promise<ConnectionTestResult> {
  const report = new ConnectionTestReport();
  const { checks, facts } = report;
  const finish = (): ConnectionTestResult =>
    report.finish(
      `Connected to FHIR ${facts.fhirVersion ?? ''} at ${settings.baseUrl}; the credential works.`.replace(
        '  ',
        ' ',
      ),
    );

  let http: FhirHttp;
  try {
    const url = checkOutboundUrl(settings.baseUrl, settings.allowInsecureHttp);
    const insecure = url.protocol === 'http:' && !isLoopbackHost(url.hostname);
    checks.push({
      id: 'url',
      label: 'Address',
      status: insecure ? 'warning' : 'passed',
      message: insecure
        ? `Plain http to ${url.host}: data and the credential cross the network unencrypted.`
        : `${url.origin} is allowed.`,
    });
    http =
      options.http ??
      new FhirHttp({
        connectionId,
        settings,
        secrets,
        readRetry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      });
  } catch (error) {
    checks.push({ id: 'url', label: 'Address', status: 'failed', message: connectorMessage(error) });
    return finish();
  }

  if (settings.authMethod !== 'none') {
    const read = await readSecretState(secrets, connectionId);
    checks.push(
      secretCheck(read, {
        label: 'Saved credential',
        saved: 'A credential is saved in the keychain.',
        missing: 'No bearer token or password is saved for this connection.',
      }),
    );
    if (read.state !== 'saved') return finish();
  }

  let capability: CapabilityStatement;
  try {
    const reply = await http.read(http.resolve('metadata'));
    capability = reply.json as CapabilityStatement;
    checks.push({
      id: 'reachable',
      label: 'Server reachable',
      status: 'passed',
      message: `${http.base.host} answered.`,
    });
  } catch (error) {
    checks.push(unreachableCheck(error, 'Server'));
    return finish();
  }

  const version = typeof capability.fhirVersion === 'string' ? capability.fhirVersion : 'unknown';
  facts.fhirVersion = version;
  if (capability.software?.name !== undefined)
    facts.software = `${capability.software.name} ${capability.software.version ?? ''}`.trim();
  const isR4 = version.startsWith('4.0');
  checks.push({
    id: 'fhir-version',
    label: 'FHIR version',
    status: isR4 ? 'passed' : 'failed',
    message: isR4
      ? `The server speaks FHIR ${version} (R4).`
      : `The server speaks FHIR ${version}; this connector needs R4 (4.0.x).`,
  });
  if (!isR4) return finish();

  const searchable = (capability.rest?.[0]?.resource ?? [])
    .filter(
      (resource) => resource.interaction?.some((interaction) => interaction.code === 'search-type') ?? false,
    )
    .map((resource) => resource.type);
  facts.searchableTypes = String(searchable.length);
  const probe = searchable.includes('Patient') ? 'Patient' : searchable[0];
  if (probe === undefined) {
    checks.push({
      id: 'credentials',
      label: 'Credential accepted',
      status: 'warning',
      message: 'The server lists no searchable resource types; the credential was not tried.',
    });
    return finish();
  }
  try {
    await http.read(http.resolve(`${probe}?_count=1`));
    checks.push({
      id: 'credentials',
      label: 'Credential accepted',
      status: 'passed',
      message: `A ${probe} search with this credential worked.`,
    });
  } catch (error) {
    const refused = error instanceof FhirHttpError && (error.status === 401 || error.status === 403);
    checks.push({
      id: 'credentials',
      label: 'Credential accepted',
      status: 'failed',
      message: refused
        ? `The server refused the credential (HTTP ${error.status}): check the token or password.`
        : connectorMessage(error),
    });
  }
  return finish();
}
