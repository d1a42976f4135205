import type Database from 'better-sqlite3';
import type { AuditReport } from '../../shared/domain/audit.js';
import { CheckpointRepo } from '../store/audit/checkpoints/checkpoint-repo.js';
import { checkpointSignatureValid } from '../store/audit/checkpoints/signed-checkpoint.js';
import { readStoreId } from '../store/audit/checkpoints/store-id.js';

/**
 * The newest signed checkpoint and whether this log still matches it: the signature verifies with
 * the store's public key (from the keychain; null when there is none), it is this store's, and row
 * #seq carries the head hash it signed. Cheap (one signature check, one row read): the full Merkle
 * proof over every row is `osc verify-audit --checkpoint`; the report's chain walk covers the rest.
 */
export function latestCheckpointForReport(
  db: Database.Database,
  publicKeyPem: string | null,
): AuditReport['checkpoint'] {
  const repo = new CheckpointRepo(db);
  if (!repo.available()) return null;
  const latest = repo.latest();
  if (latest === null) return null;
  const { seq, headHash, merkleRoot, at, storeId } = latest.checkpoint;
  const problem = checkpointProblem(db, latest, publicKeyPem, storeId, seq, headHash);
  return {
    id: latest.id,
    seq,
    headHash,
    merkleRoot,
    at,
    keyId: latest.keyId,
    signature: latest.signature,
    matchesLog: problem === null,
    problem,
  };
}

function checkpointProblem(
  db: Database.Database,
  signed: Parameters<typeof checkpointSignatureValid>[0],
  publicKeyPem: string | null,
  storeId: string,
  seq: number,
  headHash: string,
): string | null {
  if (publicKeyPem === null) return 'this store has no checkpoint public key in the keychain';
  if (!checkpointSignatureValid(signed, publicKeyPem)) {
    return "the checkpoint's signature does not verify with this store's public key";
  }
  if (storeId !== readStoreId(db)) return `the checkpoint is of store ${storeId}, not this one`;
  const row = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(seq);
  if (row === undefined) return `row #${seq}, the checkpoint's head, is missing from the log`;
  if (row.hash !== headHash) return `row #${seq} does not carry the head hash the checkpoint signed`;
  return null;
}
