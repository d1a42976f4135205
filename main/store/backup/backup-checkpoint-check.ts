import Database from 'better-sqlite3';
import { leafHash, MerkleFrontier } from '../audit/checkpoints/merkle-tree.js';
import { storePathFor } from '../store-files.js';

/**
 * The restore check for signed checkpoints (migration 016): a backup that holds checkpoints must
 * still match its newest one — row #seq has the checkpointed head hash and the RFC 6962 Merkle root
 * over rows #1..#seq is the checkpointed root. The signature needs the public key from the keychain
 * (`osc verify-audit --checkpoint FILE --public-key FILE` checks it against an exported checkpoint);
 * this catches a backup whose log was rewritten below a checkpoint it carries. A backup without the
 * table (taken before checkpoints existed) passes. Answers a refusal sentence, or null.
 */
export function newestCheckpointMismatch(stagedDataDir: string): string | null {
  const db = new Database(storePathFor(stagedDataDir), { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_checkpoints'")
      .get();
    if (table === undefined) return null;
    const newest = db
      .prepare<[], { id: number; seq: number; head_hash: string; merkle_root: string }>(
        'SELECT id, seq, head_hash, merkle_root FROM audit_checkpoints ORDER BY seq DESC, id DESC LIMIT 1',
      )
      .get();
    if (newest === undefined) return null;
    const frontier = new MerkleFrontier();
    let last: { seq: number; hash: string } | null = null;
    const rows = db
      .prepare<[number], { seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_log WHERE seq <= ? ORDER BY seq',
      )
      .iterate(newest.seq);
    for (const row of rows) {
      frontier.push(leafHash(row.hash));
      last = row;
    }
    const where = `its newest signed checkpoint (#${newest.id}, row #${newest.seq})`;
    if (newest.seq > 0 && (last?.seq !== newest.seq || last.hash !== newest.head_hash)) {
      return `the audit log does not match ${where}: row #${newest.seq} is missing or has another hash`;
    }
    if (newest.seq > 0 && frontier.rootHex() !== newest.merkle_root) {
      return `the audit log does not match ${where}: the Merkle root over rows #1..#${newest.seq} differs`;
    }
    return null;
  } finally {
    db.close();
  }
}
