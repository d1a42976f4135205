import { createPublicKey } from 'node:crypto';
import Database from 'better-sqlite3';
import { publicKeyId } from '../audit/checkpoints/checkpoint-signing-key.js';
import { checkpointSignatureValid } from '../audit/checkpoints/signed-checkpoint.js';
import { storePathFor } from '../store-files.js';
import type { BackupCheck } from './restore-backup.js';

interface CheckpointRow {
  id: number;
  store_id: string;
  seq: number;
  head_hash: string;
  merkle_root: string;
  at: string;
  signature: string;
  key_id: string;
}

/**
 * `osc restore --public-key FILE`: the backup's checkpoints must be signed by THAT key, the one the
 * clinic kept apart (handed to its auditor, pushed to its witness). The key stored alongside the
 * backup proves nothing against someone who rewrote the backup: they could have re-signed with a key
 * of their own. Every checkpoint must verify with the given key, and each must name a row the log
 * still has with the checkpointed hash (the newest one's Merkle root is checked by
 * newestCheckpointMismatch). A backup with no checkpoint at all is refused: it cannot show the key
 * vouches for anything, and the operator asked for exactly that.
 */
export function checkpointsSignedBy(publicKeyPem: string): BackupCheck {
  const key = createPublicKey(publicKeyPem); // a file that is no public key fails before anything is copied
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error('the --public-key file is not an Ed25519 public key');
  const keyId = publicKeyId(key);
  return (stagedDataDir) => {
    const db = new Database(storePathFor(stagedDataDir), { readonly: true, fileMustExist: true });
    try {
      const table = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_checkpoints'")
        .get();
      const rows =
        table === undefined
          ? []
          : db
              .prepare<[], CheckpointRow>(
                'SELECT id, store_id, seq, head_hash, merkle_root, at, signature, key_id FROM audit_checkpoints ORDER BY id',
              )
              .all();
      if (rows.length === 0) {
        return `it carries no signed checkpoint, so nothing in it can be checked against the given public key (key id ${keyId.slice(0, 16)}…)`;
      }
      const rowHash = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?');
      for (const row of rows) {
        const signed = {
          checkpoint: {
            storeId: row.store_id,
            seq: row.seq,
            headHash: row.head_hash,
            merkleRoot: row.merkle_root,
            at: row.at,
          },
          signature: row.signature,
          keyId: row.key_id,
        };
        const where = `checkpoint #${row.id} (row #${row.seq}, ${row.at})`;
        if (!checkpointSignatureValid(signed, publicKeyPem)) {
          return `${where} is not signed by the given public key (key id ${keyId.slice(0, 16)}…; it names key ${row.key_id.slice(0, 16)}…)`;
        }
        if (row.seq > 0 && rowHash.get(row.seq)?.hash !== row.head_hash) {
          return `the audit log does not match ${where}: row #${row.seq} is missing or has another hash`;
        }
      }
      return null;
    } finally {
      db.close();
    }
  };
}
