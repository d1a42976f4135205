import { parseSignedCheckpoint, type SignedCheckpoint } from './signed-checkpoint.js';

/**
 * An exported checkpoint file: the signed checkpoint plus "tiles", the RFC 6962 subtree roots of
 * consecutive blocks of `leavesPerTile` rows (the last block may be shorter). The tiles are not
 * signed on their own: they are only believed when, combined like the tree, they give the signed
 * root. They let `verify-audit --checkpoint` name the first changed row even when an attacker
 * rebuilt a consistent chain (then every row from the changed one on hashes differently, and only a
 * copy of the original row hashes can say where the change began): exactly with one row per tile,
 * within one block otherwise.
 */
export const CHECKPOINT_FILE_FORMAT = 'osc-audit-checkpoint/1';

/** Up to this many tiles a file holds one tile per row (about 4.5 MB at the limit). */
export const MAX_TILES = 65_536;

export interface CheckpointTiles {
  readonly leavesPerTile: number;
  readonly hashes: readonly string[];
}

export interface CheckpointFile extends SignedCheckpoint {
  readonly format: typeof CHECKPOINT_FILE_FORMAT;
  /** For convenience only: a verifier uses the public key it got from the store's owner, not this one. */
  readonly publicKey?: string;
  readonly tiles?: CheckpointTiles;
}

/** The smallest power of two that keeps a tree of `treeSize` rows within MAX_TILES tiles. */
export function leavesPerTileFor(treeSize: number, maxTiles = MAX_TILES): number {
  let leaves = 1;
  while (Math.ceil(treeSize / leaves) > maxTiles) leaves *= 2;
  return leaves;
}

export function parseCheckpointFile(text: string): CheckpointFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('not a signed audit checkpoint: not JSON');
  }
  const signed = parseSignedCheckpoint(value);
  const { tiles, publicKey } = value as { tiles?: unknown; publicKey?: unknown };
  return {
    format: CHECKPOINT_FILE_FORMAT,
    ...signed,
    ...(typeof publicKey === 'string' ? { publicKey } : {}),
    ...(parseTiles(tiles) ?? {}),
  };
}

function parseTiles(value: unknown): { tiles: CheckpointTiles } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { leavesPerTile, hashes } = value as { leavesPerTile?: unknown; hashes?: unknown };
  if (typeof leavesPerTile !== 'number' || !Number.isSafeInteger(leavesPerTile) || leavesPerTile < 1)
    return null;
  if ((leavesPerTile & (leavesPerTile - 1)) !== 0) return null;
  if (
    !Array.isArray(hashes) ||
    !hashes.every((hash) => typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash))
  ) {
    return null;
  }
  return { tiles: { leavesPerTile, hashes: hashes as string[] } };
}
