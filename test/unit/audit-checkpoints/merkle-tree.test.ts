import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditPath, verifyInclusion } from '../../../main/store/audit/checkpoints/merkle-proof.js';
import {
  EMPTY_TREE_ROOT,
  MerkleFrontier,
  leafHash,
  nodeHash,
  rootOfNodes,
} from '../../../main/store/audit/checkpoints/merkle-tree.js';

// The RFC 6962 test tree of Certificate Transparency (certificate-transparency-go, merkle testdata):
// eight leaves and the roots of each prefix.
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const rfcLeaf = (hex: string): Buffer =>
  createHash('sha256')
    .update(Buffer.from([0]))
    .update(Buffer.from(hex, 'hex'))
    .digest();

describe('RFC 6962 Merkle tree', () => {
  const leaves = LEAVES.map(rfcLeaf);

  it('gives the CT test vectors for every prefix, recursively and through the frontier', () => {
    expect(rootOfNodes([]).toString('hex')).toBe(EMPTY_TREE_ROOT);
    const frontier = new MerkleFrontier();
    leaves.forEach((leaf, i) => {
      frontier.push(leaf);
      expect(rootOfNodes(leaves.slice(0, i + 1)).toString('hex')).toBe(ROOTS[i]);
      expect(frontier.rootHex()).toBe(ROOTS[i]);
      expect(MerkleFrontier.fromState(frontier.state()).rootHex()).toBe(ROOTS[i]);
    });
  });

  it('proves every leaf of every tree size up to 33 and refuses a wrong leaf, root or path', () => {
    const many = Array.from({ length: 34 }, (_, i) =>
      leafHash(createHash('sha256').update(String(i)).digest('hex')),
    );
    for (let size = 1; size < many.length; size += 1) {
      const tree = many.slice(0, size);
      const root = rootOfNodes(tree);
      for (let index = 0; index < size; index += 1) {
        const path = auditPath(tree, index);
        expect(verifyInclusion(tree[index] as Buffer, index, size, path, root)).toBe(true);
        const other = tree[(index + 1) % size] as Buffer;
        if (size > 1) expect(verifyInclusion(other, index, size, path, root)).toBe(false);
        expect(
          verifyInclusion(tree[index] as Buffer, index, size, path, rootOfNodes(many.slice(0, size + 1))),
        ).toBe(false);
        if (path.length > 0) {
          expect(verifyInclusion(tree[index] as Buffer, index, size, path.slice(1), root)).toBe(false);
        }
      }
    }
  });

  it('matches the CT audit path of leaf 0 in the 8-leaf tree', () => {
    expect(auditPath(leaves, 0).map((node) => node.toString('hex'))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  it('combines perfect tiles plus a shorter last one into the root of the whole tree', () => {
    const many = Array.from({ length: 45 }, (_, i) =>
      leafHash(createHash('sha256').update(`r${i}`).digest('hex')),
    );
    for (const perTile of [1, 2, 4, 8, 16, 64]) {
      for (let size = 1; size <= many.length; size += 1) {
        const tiles: Buffer[] = [];
        for (let from = 0; from < size; from += perTile)
          tiles.push(rootOfNodes(many.slice(from, Math.min(size, from + perTile))));
        expect(rootOfNodes(tiles).equals(rootOfNodes(many.slice(0, size)))).toBe(true);
      }
    }
    expect(nodeHash(many[0] as Buffer, many[1] as Buffer).equals(rootOfNodes(many.slice(0, 2)))).toBe(true);
  });
});
