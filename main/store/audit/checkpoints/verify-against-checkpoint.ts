import type Database from 'better-sqlite3';
import { rootOfNodes } from './merkle-tree.js';
import type { CheckpointFile, CheckpointTiles } from './checkpoint-file.js';
import { walkTiles } from './checkpoint-tiles.js';
import { checkpointSignatureValid } from './signed-checkpoint.js';

export type CheckpointVerification =
  | { readonly ok: true; readonly seq: number; readonly merkleRoot: string; readonly tilesUsed: boolean }
  | {
      readonly ok: false;
      /** The first row that differs from the checkpoint; null when the checkpoint itself is refused. */
      readonly brokenSeq: number | null;
      /** With tiles of more than one row: the block the first change lies in. */
      readonly within?: { readonly fromSeq: number; readonly toSeq: number };
      readonly reason: string;
    };

/**
 * Proves the log #1..#seq is the one the checkpoint signed, or names the first row that differs.
 * Order: the signature (nothing else is believed before it), the store id, the tiles against the
 * signed root, then one walk over the rows that stops at the first row that breaks the chain or the
 * first block whose subtree root is not the checkpoint's; finally the head hash and the root.
 */
export function verifyAgainstCheckpoint(
  db: Database.Database,
  file: CheckpointFile,
  publicKeyPem: string,
  storeId: string,
): CheckpointVerification {
  const { seq, headHash, merkleRoot } = file.checkpoint;
  if (!checkpointSignatureValid(file, publicKeyPem)) {
    return {
      ok: false,
      brokenSeq: null,
      reason: 'the checkpoint signature is not valid for this public key',
    };
  }
  if (file.checkpoint.storeId !== storeId) {
    return {
      ok: false,
      brokenSeq: null,
      reason: `the checkpoint is of store ${file.checkpoint.storeId}, this store is ${storeId}`,
    };
  }
  const tiles = usableTiles(file);
  const leavesPerTile = tiles?.leavesPerTile ?? Math.max(1, seq);
  let within: { fromSeq: number; toSeq: number } | undefined;
  const walk = walkTiles(db, seq, leavesPerTile, (index, hash, fromSeq, toSeq) => {
    if (tiles === null || tiles.hashes[index] === hash) return null;
    within = { fromSeq, toSeq };
    return {
      seq: fromSeq,
      reason:
        fromSeq === toSeq
          ? `its hash is not the one the checkpoint signed: the row was changed and the chain rebuilt after it`
          : `rows #${fromSeq}..#${toSeq} hash differently from the checkpoint: the first change is in this block`,
    };
  });
  if (walk.broken !== null) {
    return {
      ok: false,
      brokenSeq: walk.broken.seq,
      ...(within !== undefined && within.fromSeq !== within.toSeq ? { within } : {}),
      reason: walk.broken.reason,
    };
  }
  if (walk.headHash !== headHash) {
    return {
      ok: false,
      brokenSeq: seq,
      reason: `row #${seq} does not have the head hash the checkpoint signed (a rebuilt chain; the export has no tiles to say where it began)`,
    };
  }
  if (walk.root !== merkleRoot) {
    return { ok: false, brokenSeq: seq, reason: 'the Merkle root over rows #1..#seq is not the signed one' };
  }
  return { ok: true, seq, merkleRoot, tilesUsed: tiles !== null };
}

/** Tiles that combine into the signed root; anything else is ignored (they were not signed). */
function usableTiles(file: CheckpointFile): CheckpointTiles | null {
  const tiles = file.tiles;
  if (tiles === undefined) return null;
  const count = Math.ceil(file.checkpoint.seq / tiles.leavesPerTile);
  if (tiles.hashes.length !== count || count === 0) return null;
  const root = rootOfNodes(tiles.hashes.map((hash) => Buffer.from(hash, 'hex'))).toString('hex');
  return root === file.checkpoint.merkleRoot ? tiles : null;
}
