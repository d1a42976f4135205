import type Database from 'better-sqlite3';
import type { SignedCheckpoint } from './signed-checkpoint.js';

export type CheckpointReason = 'scheduled' | 'on-demand' | 'cli';

/** A stored checkpoint: the signed statement plus what the console needs to extend it. */
export interface StoredCheckpoint extends SignedCheckpoint {
  readonly id: number;
  readonly reason: CheckpointReason;
  readonly frontier: readonly { size: number; hash: string }[];
}

interface Row {
  id: number;
  store_id: string;
  seq: number;
  head_hash: string;
  merkle_root: string;
  at: string;
  signature: string;
  key_id: string;
  reason: CheckpointReason;
  frontier: string;
}

const COLUMNS = 'id, store_id, seq, head_hash, merkle_root, at, signature, key_id, reason, frontier';

/** The audit_checkpoints table (migration 016). */
export class CheckpointRepo {
  constructor(private readonly db: Database.Database) {}

  /** False on a store whose schema predates migration 016 (or a build that does not list it yet). */
  available(): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_checkpoints'")
        .get() !== undefined
    );
  }

  insert(signed: SignedCheckpoint, reason: CheckpointReason, frontier: StoredCheckpoint['frontier']): number {
    const { storeId, seq, headHash, merkleRoot, at } = signed.checkpoint;
    const result = this.db
      .prepare(
        `INSERT INTO audit_checkpoints (store_id, seq, head_hash, merkle_root, at, signature, key_id, reason, frontier)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        storeId,
        seq,
        headHash,
        merkleRoot,
        at,
        signed.signature,
        signed.keyId,
        reason,
        JSON.stringify(frontier),
      );
    return Number(result.lastInsertRowid);
  }

  latest(): StoredCheckpoint | null {
    const row = this.db
      .prepare<[], Row>(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY seq DESC, id DESC LIMIT 1`)
      .get();
    return row === undefined ? null : fromRow(row);
  }

  /** Newest first; `beforeId` pages. */
  list(limit: number, beforeId?: number): StoredCheckpoint[] {
    const rows = this.db
      .prepare<[number, number], Row>(
        `SELECT ${COLUMNS} FROM audit_checkpoints WHERE id < ? ORDER BY id DESC LIMIT ?`,
      )
      .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit);
    return rows.map(fromRow);
  }

  get(id: number): StoredCheckpoint | null {
    const row = this.db
      .prepare<[number], Row>(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE id = ?`)
      .get(id);
    return row === undefined ? null : fromRow(row);
  }
}

function fromRow(row: Row): StoredCheckpoint {
  return {
    id: row.id,
    reason: row.reason,
    checkpoint: {
      storeId: row.store_id,
      seq: row.seq,
      headHash: row.head_hash,
      merkleRoot: row.merkle_root,
      at: row.at,
    },
    signature: row.signature,
    keyId: row.key_id,
    frontier: JSON.parse(row.frontier) as StoredCheckpoint['frontier'],
  };
}
