import type { SecretReader } from './types.js';

/**
 * What reading a connection's secret found. "Missing" and "the keychain did not answer" are different
 * problems with different fixes (save a secret vs. unlock the keychain), so no caller may fold a
 * failed read into "no secret": that told operators to save a secret they had already saved.
 */
export type SecretState =
  | { readonly state: 'saved'; readonly secret: string }
  | { readonly state: 'missing' }
  | { readonly state: 'unavailable'; readonly message: string };

export async function readSecretState(secrets: SecretReader, connectionId: string): Promise<SecretState> {
  let secret: string | null;
  try {
    secret = await secrets.read(connectionId);
  } catch (error) {
    // A VaultUnavailableError here, or its message relayed from the engine worker as a plain Error:
    // either way the read failed, which is not the same as an empty slot.
    return { state: 'unavailable', message: keychainUnavailableMessage(error) };
  }
  return secret === null || secret === '' ? { state: 'missing' } : { state: 'saved', secret };
}

/** The operator-facing sentence for a read that failed: it names the keychain, never "missing". */
export function keychainUnavailableMessage(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `The OS keychain could not be read, so the saved secret is out of reach: ${reason}`;
}
