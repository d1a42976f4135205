import type Database from 'better-sqlite3';
import { GENESIS_HASH } from '../audit-hash.js';
import { walkRowsSync, type ChainBreak } from './audit-row-walk.js';
import { MerkleFrontier, leafHash } from './merkle-tree.js';

/**
 * One pass over rows #1..#treeSize: checks the chain, builds the whole tree's root and the root of
 * every block of `leavesPerTile` rows. `onTile` may stop the walk (a verifier that found the first
 * block that differs). Memory is O(log n); the CLI runs it on its own thread.
 */
export function walkTiles(
  db: Database.Database,
  treeSize: number,
  leavesPerTile: number,
  onTile: (index: number, hash: string, firstSeq: number, lastSeq: number) => ChainBreak | null,
): { readonly broken: ChainBreak | null; readonly root: string; readonly headHash: string } {
  const whole = new MerkleFrontier();
  let tile = new MerkleFrontier();
  let tileIndex = 0;
  let headHash = GENESIS_HASH;
  const broken = walkRowsSync(db, { afterSeq: 0, prevHash: GENESIS_HASH, toSeq: treeSize }, (seq, hash) => {
    const leaf = leafHash(hash);
    whole.push(leaf);
    tile.push(leaf);
    headHash = hash;
    if (tile.size === leavesPerTile || seq === treeSize) {
      const stop = onTile(tileIndex, tile.rootHex(), seq - tile.size + 1, seq);
      if (stop !== null) return stop;
      tileIndex += 1;
      tile = new MerkleFrontier();
    }
    return null;
  });
  return { broken, root: whole.rootHex(), headHash };
}
