import type { Dispatcher } from 'undici';
import type { FhirSettings } from '../../../shared/domain/connection.js';
import type { SecretReader } from '../../vault/types.js';
import { FhirHttp } from './fhir-http.js';
import { FhirSource } from './fhir-source.js';
import { FhirTarget } from './fhir-target.js';

export { testFhirConnection } from './fhir-test-connection.js';
export { FhirSource } from './fhir-source.js';
export { FhirTarget } from './fhir-target.js';
export { FhirHttp, FhirHttpError } from './fhir-http.js';

/** Source and target for one FHIR connection; both read the credential from the vault per request. */
export function createFhirConnector(
  connectionId: string,
  settings: FhirSettings,
  secrets: SecretReader,
  options: { readonly dispatcher?: Dispatcher } = {},
): { source: FhirSource; target: FhirTarget } {
  const http = new FhirHttp({ connectionId, settings, secrets, ...options });
  return {
    source: new FhirSource({ http, overlapSeconds: settings.overlapSeconds }),
    target: new FhirTarget(http),
  };
}
