import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import type { SecretReader, Vault } from '../../../vault/types.js';

/**
 * The store's checkpoint signing key. The private key (PKCS#8 PEM) lives only in the OS keychain,
 * filed like a connection secret under the store id; it is never written to SQLite, a log, an export
 * or an API answer. Only the public key leaves this module.
 */
export const SIGNING_KEY_VAULT_ID = 'audit-checkpoint-signing-key';

export interface CheckpointSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly keyId: string;
}

/** The key from the keychain, or a new one saved there first (a store's first checkpoint). */
export async function loadOrCreateSigningKey(vault: Vault): Promise<CheckpointSigningKey> {
  const saved = await vault.read(SIGNING_KEY_VAULT_ID);
  if (saved !== null) return fromPrivatePem(saved);
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // set() reads the secret back, so a keychain that cannot keep it fails here, before anything is signed.
  await vault.set(SIGNING_KEY_VAULT_ID, pem);
  return fromPrivatePem(pem);
}

/** The public key only; null when the store has never had a signing key. */
export async function readPublicKeyPem(vault: SecretReader): Promise<string | null> {
  const saved = await vault.read(SIGNING_KEY_VAULT_ID);
  return saved === null ? null : fromPrivatePem(saved).publicKeyPem;
}

function fromPrivatePem(pem: string): CheckpointSigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('the keychain holds a checkpoint signing key that is not Ed25519');
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: publicKeyId(publicKey),
  };
}

export function publicKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}
