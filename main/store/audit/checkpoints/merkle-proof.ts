import { nodeHash, splitPoint } from './merkle-tree.js';

/**
 * RFC 6962 §2.1.1 audit paths and their check (RFC 9162 §2.1.3.2). Pure functions over SHA-256: an
 * auditor can reimplement `verifyInclusion` from the RFC in a few lines and needs nothing from the
 * console but the proof, the signed checkpoint and the public key.
 */

/** PATH(m, D[n]): the sibling hashes from leaf m up to the root, leaf side first. */
export function auditPath(leaves: readonly Buffer[], index: number): Buffer[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  }
  return pathIn(leaves, index, 0, leaves.length);
}

function pathIn(leaves: readonly Buffer[], m: number, from: number, to: number): Buffer[] {
  const n = to - from;
  if (n === 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...pathIn(leaves, m, from, from + k), subtreeRoot(leaves, from + k, to)];
  return [...pathIn(leaves, m - k, from + k, to), subtreeRoot(leaves, from, from + k)];
}

function subtreeRoot(leaves: readonly Buffer[], from: number, to: number): Buffer {
  if (to - from === 1) return leaves[from] as Buffer;
  const k = splitPoint(to - from);
  return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

/**
 * Whether `leaf` at `index` in a tree of `treeSize` leaves, with audit path `path`, gives `root`
 * (RFC 9162 §2.1.3.2, verbatim in structure). Never throws on a malformed proof: it is false.
 */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  treeSize: number,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) {
    return false;
  }
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}
