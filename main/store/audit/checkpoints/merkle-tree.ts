import { createHash } from 'node:crypto';

/**
 * The RFC 6962 (§2.1) Merkle tree over the audit log: leaf i is the 32-byte row hash of row #(i+1),
 * leaf hash = SHA-256(0x00 || rowHash), interior node = SHA-256(0x01 || left || right), and a tree of
 * n > 1 leaves splits at the largest power of two smaller than n. The same tree Certificate
 * Transparency logs use, so an auditor can check a root or a proof with any RFC 6962 library.
 */

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);
const HEX_32 = /^[0-9a-f]{64}$/;

/** MTH of the empty tree: SHA-256 of nothing. */
export const EMPTY_TREE_ROOT = createHash('sha256').digest('hex');

export function leafHash(rowHashHex: string): Buffer {
  if (!HEX_32.test(rowHashHex)) throw new TypeError('a row hash is 64 lowercase hex digits');
  return createHash('sha256').update(LEAF_PREFIX).update(Buffer.from(rowHashHex, 'hex')).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The root over nodes that are already hashed: leaf hashes, or the roots of consecutive perfect
 * subtrees of 2^t leaves followed by one smaller last subtree (how an exported checkpoint's tiles are
 * checked against its signed root). Splits like RFC 6962, so with leaf hashes it is exactly MTH.
 */
export function rootOfNodes(nodes: readonly Buffer[]): Buffer {
  if (nodes.length === 0) return Buffer.from(EMPTY_TREE_ROOT, 'hex');
  return rootOfRange(nodes, 0, nodes.length);
}

function rootOfRange(nodes: readonly Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return nodes[from] as Buffer;
  const k = splitPoint(n);
  return nodeHash(rootOfRange(nodes, from, from + k), rootOfRange(nodes, from + k, to));
}

/**
 * An append-only Merkle "compact range": the roots of the perfect subtrees that make up the tree so
 * far (one per set bit of the size, largest first). Appending is O(log n) and the root of the whole
 * prefix is available at any size, so a log of millions of rows is hashed in one pass with
 * O(log n) memory.
 */
export class MerkleFrontier {
  private readonly stack: { size: number; hash: Buffer }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leaf: Buffer): void {
    let node = { size: 1, hash: leaf };
    let top = this.stack.at(-1);
    while (top !== undefined && top.size === node.size) {
      this.stack.pop();
      node = { size: node.size * 2, hash: nodeHash(top.hash, node.hash) };
      top = this.stack.at(-1);
    }
    this.stack.push(node);
    this.count += 1;
  }

  /** MTH of the leaves pushed so far: the perfect subtrees folded from the right. */
  root(): Buffer {
    let acc: Buffer | null = null;
    for (let i = this.stack.length - 1; i >= 0; i -= 1) {
      const part = (this.stack[i] as { hash: Buffer }).hash;
      acc = acc === null ? part : nodeHash(part, acc);
    }
    return acc ?? Buffer.from(EMPTY_TREE_ROOT, 'hex');
  }

  rootHex(): string {
    return this.root().toString('hex');
  }

  /** The perfect subtrees (size, hash hex), largest first: kept with a checkpoint to extend it later. */
  state(): { size: number; hash: string }[] {
    return this.stack.map(({ size, hash }) => ({ size, hash: hash.toString('hex') }));
  }

  /** A frontier from state(); refuses one whose sizes are not the set bits of its total, largest first. */
  static fromState(parts: readonly { size: number; hash: string }[]): MerkleFrontier {
    const frontier = new MerkleFrontier();
    let previous = Number.POSITIVE_INFINITY;
    for (const { size, hash } of parts) {
      const powerOfTwo = Number.isSafeInteger(size) && size > 0 && (size & (size - 1)) === 0;
      if (!powerOfTwo || size >= previous || !/^[0-9a-f]{64}$/.test(hash)) {
        throw new Error('not a Merkle frontier');
      }
      previous = size;
      frontier.stack.push({ size, hash: Buffer.from(hash, 'hex') });
      frontier.count += size;
    }
    return frontier;
  }
}

/** MTH over row hashes (hex), for tests and small logs; big logs go through MerkleFrontier. */
export function merkleRootOfRowHashes(rowHashes: readonly string[]): string {
  return rootOfNodes(rowHashes.map(leafHash)).toString('hex');
}
