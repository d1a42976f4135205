import type Database from 'better-sqlite3';
import { GENESIS_HASH, auditRowHashOrNull } from '../audit-hash.js';
import { walkRowsSync } from './audit-row-walk.js';
import { auditPath, verifyInclusion } from './merkle-proof.js';
import { leafHash, rootOfNodes } from './merkle-tree.js';
import { checkpointSignatureValid, type SignedCheckpoint } from './signed-checkpoint.js';

export const INCLUSION_PROOF_FORMAT = 'osc-audit-inclusion-proof/1';

/** The row as hashed into the chain, so an auditor can recompute its hash from its content. */
export interface ProvenRow {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: 'ok' | 'denied' | 'error';
  readonly detail: string;
  readonly prevHash: string;
}

export interface InclusionProof {
  readonly format: typeof INCLUSION_PROOF_FORMAT;
  readonly storeId: string;
  readonly row: ProvenRow;
  readonly rowHash: string;
  /** SHA-256(0x00 || rowHash). */
  readonly leafHash: string;
  /** 0-based: row #seq is leaf seq - 1. */
  readonly leafIndex: number;
  readonly treeSize: number;
  /** RFC 6962 PATH(leafIndex, D[treeSize]), leaf side first. */
  readonly auditPath: readonly string[];
}

/** Builds the proof that row #seq is in the tree a checkpoint signed; refuses when the log no longer gives that tree. */
export function proveInclusion(db: Database.Database, signed: SignedCheckpoint, seq: number): InclusionProof {
  const treeSize = signed.checkpoint.seq;
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > treeSize) {
    throw new Error(`row #${seq} is not covered by the checkpoint (rows #1..#${treeSize})`);
  }
  const leaves: Buffer[] = [];
  const found: { row: ProvenRow | null } = { row: null };
  let rowHash = '';
  const broken = walkRowsSync(
    db,
    { afterSeq: 0, prevHash: GENESIS_HASH, toSeq: treeSize },
    (rowSeq, hash, row) => {
      leaves.push(leafHash(hash));
      if (rowSeq === seq) {
        const [, at, actor, action, target, outcome, detail, prevHash] = row;
        found.row = { seq, at, actor, action, target, outcome, detail, prevHash };
        rowHash = hash;
      }
      return null;
    },
  );
  if (broken !== null)
    throw new Error(`cannot prove: audit row #${broken.seq} breaks the chain (${broken.reason})`);
  if (rootOfNodes(leaves).toString('hex') !== signed.checkpoint.merkleRoot || found.row === null) {
    throw new Error(`cannot prove: the log no longer gives the root of checkpoint #${treeSize}`);
  }
  return {
    format: INCLUSION_PROOF_FORMAT,
    storeId: signed.checkpoint.storeId,
    row: found.row,
    rowHash,
    leafHash: (leaves[seq - 1] as Buffer).toString('hex'),
    leafIndex: seq - 1,
    treeSize,
    auditPath: auditPath(leaves, seq - 1).map((node) => node.toString('hex')),
  };
}

export type ProofCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Checks a proof against a signed checkpoint and its public key, using nothing from the store:
 * the signature, that the row's content hashes to rowHash, the leaf hash, then the audit path to
 * the signed root (RFC 9162 §2.1.3.2).
 */
export function checkInclusionProof(
  proof: InclusionProof,
  signed: SignedCheckpoint,
  publicKeyPem: string,
): ProofCheck {
  if (!checkpointSignatureValid(signed, publicKeyPem)) {
    return { ok: false, reason: 'the checkpoint signature is not valid for this public key' };
  }
  if (proof.storeId !== signed.checkpoint.storeId)
    return { ok: false, reason: 'the proof is of another store' };
  if (proof.treeSize !== signed.checkpoint.seq) {
    return {
      ok: false,
      reason: `the proof is for a tree of ${proof.treeSize} rows, the checkpoint signs ${signed.checkpoint.seq}`,
    };
  }
  const { row } = proof;
  if (row.seq !== proof.leafIndex + 1) return { ok: false, reason: 'the row is not at the proven leaf' };
  if (auditRowHashOrNull(row.prevHash, row) !== proof.rowHash) {
    return { ok: false, reason: `row #${row.seq}'s content does not hash to the proven row hash` };
  }
  let leaf: Buffer;
  try {
    leaf = leafHash(proof.rowHash);
  } catch {
    return { ok: false, reason: 'the row hash is not 64 hex digits' };
  }
  if (leaf.toString('hex') !== proof.leafHash)
    return { ok: false, reason: 'the leaf hash is not SHA-256(0x00 || rowHash)' };
  const path = proof.auditPath.map((node) => Buffer.from(node, 'hex'));
  if (path.some((node) => node.length !== 32))
    return { ok: false, reason: 'the audit path holds a value that is not a hash' };
  const root = Buffer.from(signed.checkpoint.merkleRoot, 'hex');
  return verifyInclusion(leaf, proof.leafIndex, proof.treeSize, path, root)
    ? { ok: true }
    : { ok: false, reason: 'the audit path does not lead to the signed Merkle root' };
}
