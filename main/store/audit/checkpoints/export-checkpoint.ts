import type Database from 'better-sqlite3';
import { CHECKPOINT_FILE_FORMAT, leavesPerTileFor, type CheckpointFile } from './checkpoint-file.js';
import { walkTiles } from './checkpoint-tiles.js';
import type { SignedCheckpoint } from './signed-checkpoint.js';

/**
 * The file an auditor keeps: the signed checkpoint, the public key for convenience and the tiles read
 * from the log now. It refuses to export when the log no longer gives the signed root and head: a
 * file whose tiles came from a changed log would point at the wrong rows later.
 */
export function exportCheckpointFile(
  db: Database.Database,
  signed: SignedCheckpoint,
  publicKeyPem: string | null,
  maxTiles?: number,
): CheckpointFile {
  const { seq, merkleRoot, headHash } = signed.checkpoint;
  const leavesPerTile = leavesPerTileFor(seq, maxTiles);
  const hashes: string[] = [];
  const walk = walkTiles(db, seq, leavesPerTile, (_index, hash) => {
    hashes.push(hash);
    return null;
  });
  if (walk.broken !== null) {
    throw new Error(`not exporting: audit row #${walk.broken.seq} breaks the chain (${walk.broken.reason})`);
  }
  if (walk.root !== merkleRoot || walk.headHash !== headHash) {
    throw new Error(
      `not exporting: the log no longer matches checkpoint #${seq} (rebuilt after it was signed)`,
    );
  }
  return {
    format: CHECKPOINT_FILE_FORMAT,
    checkpoint: signed.checkpoint,
    signature: signed.signature,
    keyId: signed.keyId,
    ...(publicKeyPem === null ? {} : { publicKey: publicKeyPem }),
    tiles: { leavesPerTile, hashes },
  };
}
