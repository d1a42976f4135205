import type { ConnectionCheck } from '../../../shared/domain/connection-test.js';
import { readSecretState, type SecretState } from '../../vault/read-secret.js';
import type { SecretReader } from '../../vault/types.js';
import { ConnectorError } from '../types.js';

/** The stable code of a run or call failure caused by a locked or unreachable keychain. */
export const KEYCHAIN_UNAVAILABLE_CODE = 'keychain-unavailable';

/**
 * A connector's secret for one call. A missing secret is the connector's own configuration error
 * (`missing()`); a keychain that does not answer is reported as such, as a transient failure: the
 * saved secret is fine and the same call works once the keychain is unlocked, so the connection is
 * not held as if its credential had been refused.
 */
export async function connectorSecret(
  secrets: SecretReader,
  connectionId: string,
  missing: () => ConnectorError,
): Promise<string> {
  const read = await readSecretState(secrets, connectionId);
  if (read.state === 'saved') return read.secret;
  if (read.state === 'missing') throw missing();
  throw new ConnectorError('transient', KEYCHAIN_UNAVAILABLE_CODE, read.message);
}

/** What a "Test connection" says about the secret, in its three cases (one check, id `secret`). */
export function secretCheck(
  read: SecretState,
  wording: { readonly label: string; readonly saved: string; readonly missing: string },
): ConnectionCheck {
  const { label } = wording;
  if (read.state === 'saved') return { id: 'secret', label, status: 'passed', message: wording.saved };
  if (read.state === 'missing') return { id: 'secret', label, status: 'failed', message: wording.missing };
  return { id: 'secret', label, status: 'failed', message: read.message };
}
