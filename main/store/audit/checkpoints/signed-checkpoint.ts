import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

/**
 * A checkpoint of the audit log head: the statement "row #seq of store storeId has hash headHash,
 * and the RFC 6962 Merkle root over the row hashes #1..#seq is merkleRoot", signed with the store's
 * Ed25519 key. The signature covers the canonical JSON of exactly these five fields, so anyone can
 * check it with the public key (PEM) and `openssl pkeyutl -verify` or any Ed25519 library.
 */
export interface AuditCheckpoint {
  readonly storeId: string;
  readonly seq: number;
  readonly headHash: string;
  readonly merkleRoot: string;
  readonly at: string;
}

export interface SignedCheckpoint {
  readonly checkpoint: AuditCheckpoint;
  /** Ed25519 signature over checkpointSigningBytes(checkpoint), base64. */
  readonly signature: string;
  /** sha256 of the public key's DER (SPKI), hex: which key signed, without trusting it. */
  readonly keyId: string;
}

const HEX_32 = /^[0-9a-f]{64}$/;

export function checkpointSigningBytes(checkpoint: AuditCheckpoint): Buffer {
  const { storeId, seq, headHash, merkleRoot, at } = checkpoint;
  return Buffer.from(canonicalJson({ storeId, seq, headHash, merkleRoot, at }), 'utf8');
}

export function signCheckpoint(
  checkpoint: AuditCheckpoint,
  privateKey: KeyObject,
  keyId: string,
): SignedCheckpoint {
  const signature = sign(null, checkpointSigningBytes(checkpoint), privateKey).toString('base64');
  return { checkpoint, signature, keyId };
}

/** True only when the signature is a valid Ed25519 signature of this checkpoint by `publicKeyPem`. */
export function checkpointSignatureValid(signed: SignedCheckpoint, publicKeyPem: string): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return false;
  }
  if (key.asymmetricKeyType !== 'ed25519') return false;
  try {
    return verify(
      null,
      checkpointSigningBytes(signed.checkpoint),
      key,
      Buffer.from(signed.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/** Reads a checkpoint from untrusted JSON (a file an auditor hands back), field by field. */
export function parseSignedCheckpoint(value: unknown): SignedCheckpoint {
  const bad = (what: string): never => {
    throw new Error(`not a signed audit checkpoint: ${what}`);
  };
  if (typeof value !== 'object' || value === null) return bad('not an object');
  const { checkpoint, signature, keyId } = value as Record<string, unknown>;
  if (typeof checkpoint !== 'object' || checkpoint === null) return bad('no checkpoint');
  const { storeId, seq, headHash, merkleRoot, at } = checkpoint as Record<string, unknown>;
  if (typeof storeId !== 'string' || storeId.length === 0) return bad('storeId');
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return bad('seq');
  if (typeof headHash !== 'string' || !HEX_32.test(headHash)) return bad('headHash');
  if (typeof merkleRoot !== 'string' || !HEX_32.test(merkleRoot)) return bad('merkleRoot');
  if (typeof at !== 'string') return bad('at');
  if (typeof signature !== 'string' || signature.length === 0) return bad('signature');
  if (typeof keyId !== 'string') return bad('keyId');
  return { checkpoint: { storeId, seq, headHash, merkleRoot, at }, signature, keyId };
}
