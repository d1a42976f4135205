import { readFileSync, writeFileSync } from 'node:fs';
import { openStoreReadOnly } from '../../store/open-store-read-only.js';
import { assertStoreIntact } from '../../store/integrity/refuse-damaged-store.js';
import { CheckpointRepo } from '../../store/audit/checkpoints/checkpoint-repo.js';
import { parseCheckpointFile } from '../../store/audit/checkpoints/checkpoint-file.js';
import {
  checkInclusionProof,
  proveInclusion,
  type InclusionProof,
} from '../../store/audit/checkpoints/inclusion-proof.js';
import { readStoreId } from '../../store/audit/checkpoints/store-id.js';
import { verifyAgainstCheckpoint } from '../../store/audit/checkpoints/verify-against-checkpoint.js';

/**
 * `osc verify-audit --checkpoint FILE --public-key FILE`: proves rows #1..#seq are the ones the
 * checkpoint signed, or names the first row that differs. Exit 0 proven, 1 differs or the
 * checkpoint is refused, 2 the store or a file cannot be read. Runs on the CLI's own thread.
 */
export function verifyCheckpointCommand(
  args: { readonly dataDir: string; readonly checkpoint: string; readonly publicKey: string | undefined },
  out: NodeJS.WritableStream,
): number {
  if (args.publicKey === undefined) {
    out.write('verify-audit --checkpoint needs --public-key FILE (osc audit-public-key prints it)\n');
    return 2;
  }
  const file = parseCheckpointFile(readFileSync(args.checkpoint, 'utf8'));
  const publicKey = readFileSync(args.publicKey, 'utf8');
  const db = openStoreReadOnly(args.dataDir);
  try {
    assertStoreIntact(db, args.dataDir, 'quick');
    const started = performance.now();
    const result = verifyAgainstCheckpoint(db, file, publicKey, readStoreId(db));
    const seconds = (performance.now() - started) / 1000;
    if (result.ok) {
      out.write(
        `audit log OK against the signed checkpoint: rows #1..#${result.seq} unchanged, Merkle root ${result.merkleRoot}` +
          ` (${rate(result.seq, seconds)})\n`,
      );
      return 0;
    }
    if (result.brokenSeq === null) out.write(`checkpoint REFUSED: ${result.reason}\n`);
    else {
      const block =
        result.within === undefined
          ? ''
          : ` (first change within rows #${result.within.fromSeq}..#${result.within.toSeq})`;
      out.write(
        `audit log DIFFERS from the signed checkpoint at row #${result.brokenSeq}${block}: ${result.reason}\n`,
      );
    }
    return 1;
  } finally {
    db.close();
  }
}

/** `osc prove-audit SEQ [--checkpoint FILE] [--out FILE]`: the inclusion proof of row SEQ as JSON. */
export function proveAuditCommand(
  args: {
    readonly dataDir: string;
    readonly seq: number;
    readonly checkpoint?: string | undefined;
    readonly out?: string | undefined;
  },
  out: NodeJS.WritableStream,
): number {
  const db = openStoreReadOnly(args.dataDir);
  try {
    const signed =
      args.checkpoint === undefined
        ? new CheckpointRepo(db).latest()
        : parseCheckpointFile(readFileSync(args.checkpoint, 'utf8'));
    if (signed === null) {
      out.write('no checkpoint yet to prove against (osc audit-checkpoint signs one)\n');
      return 1;
    }
    let proof: InclusionProof;
    try {
      proof = proveInclusion(db, signed, args.seq);
    } catch (error) {
      out.write(`${(error as Error).message}\n`);
      return 1;
    }
    const text = `${JSON.stringify(proof, null, 2)}\n`;
    if (args.out === undefined) out.write(text);
    else {
      writeFileSync(args.out, text);
      out.write(`proof of row #${args.seq} in the tree of ${proof.treeSize} rows written to ${args.out}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}

/** `osc verify-proof --proof FILE --checkpoint FILE --public-key FILE`: needs no store at all. */
export function verifyProofCommand(
  args: {
    readonly proof: string | undefined;
    readonly checkpoint: string | undefined;
    readonly publicKey: string | undefined;
  },
  out: NodeJS.WritableStream,
): number {
  if (args.proof === undefined || args.checkpoint === undefined || args.publicKey === undefined) {
    out.write('verify-proof needs --proof FILE --checkpoint FILE --public-key FILE\n');
    return 2;
  }
  const proof = JSON.parse(readFileSync(args.proof, 'utf8')) as InclusionProof;
  const signed = parseCheckpointFile(readFileSync(args.checkpoint, 'utf8'));
  let check: ReturnType<typeof checkInclusionProof>;
  try {
    check = checkInclusionProof(proof, signed, readFileSync(args.publicKey, 'utf8'));
  } catch {
    // A proof file with missing or mistyped fields: refused like a wrong one, not a crash.
    check = { ok: false, reason: 'the file is not an inclusion proof' };
  }
  out.write(
    check.ok
      ? `proof OK: row #${proof.row.seq} is leaf ${proof.leafIndex} of the ${proof.treeSize}-row tree the checkpoint signed\n`
      : `proof REFUSED: ${check.reason}\n`,
  );
  return check.ok ? 0 : 1;
}

function rate(rows: number, seconds: number): string {
  return `${seconds.toFixed(2)} s, ${Math.round(rows / Math.max(seconds, 1e-6)).toLocaleString('en-US')} rows/s`;
}
