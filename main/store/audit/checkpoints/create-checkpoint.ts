import type Database from 'better-sqlite3';
import { readChainHead } from '../audit-chain-head.js';
import { GENESIS_HASH } from '../audit-hash.js';
import { walkRows } from './audit-row-walk.js';
import { CheckpointRepo, type CheckpointReason, type StoredCheckpoint } from './checkpoint-repo.js';
import type { CheckpointSigningKey } from './checkpoint-signing-key.js';
import { MerkleFrontier, leafHash } from './merkle-tree.js';
import { checkpointSignatureValid, signCheckpoint } from './signed-checkpoint.js';

export const CHECKPOINTS_UNAVAILABLE =
  'this store has no audit_checkpoints table: migration 016 is not applied, so no checkpoint can be kept';

/** The console will not sign a log that no longer matches what it signed before, or a broken chain. */
export class CheckpointRefusedError extends Error {
  constructor(
    message: string,
    readonly brokenSeq: number,
  ) {
    super(message);
    this.name = 'CheckpointRefusedError';
  }
}

export interface CreateCheckpointOptions {
  readonly storeId: string;
  readonly key: CheckpointSigningKey;
  readonly reason: CheckpointReason;
  readonly now: () => Date;
  /** Yields the thread between chunks of rows (the running console); the CLI passes nothing. */
  readonly pause?: () => Promise<void>;
  /** Scheduled checkpoints skip a head that is already checkpointed (but for their own audit rows). */
  readonly skipIfUnchanged?: boolean;
}

/**
 * Signs a checkpoint of the current log head and stores it. Only the rows appended since the latest
 * checkpoint are read: its Merkle frontier is extended, after checking that checkpoint still holds
 * (its signature, its frontier's root, and its head row unchanged). Every new row is checked against
 * the chain before it is signed over. Answers null when skipIfUnchanged and nothing was appended.
 */
export async function createCheckpoint(
  db: Database.Database,
  options: CreateCheckpointOptions,
): Promise<StoredCheckpoint | null> {
  const repo = new CheckpointRepo(db);
  if (!repo.available()) throw new Error(CHECKPOINTS_UNAVAILABLE);
  const head = readChainHead(db);
  const latest = repo.latest();
  if (latest !== null && options.skipIfUnchanged === true && nothingNewSince(db, latest.checkpoint.seq))
    return null;
  const { frontier, afterSeq, prevHash } = startingPoint(db, latest, options.key);
  const broken = await walkRows(
    db,
    { afterSeq, prevHash, toSeq: head.seq },
    (_seq, hash) => frontier.push(leafHash(hash)),
    options.pause,
  );
  if (broken !== null) {
    throw new CheckpointRefusedError(
      `not signing: audit row #${broken.seq} breaks the chain (${broken.reason})`,
      broken.seq,
    );
  }
  const signed = signCheckpoint(
    {
      storeId: options.storeId,
      seq: head.seq,
      headHash: head.hash,
      merkleRoot: frontier.rootHex(),
      at: options.now().toISOString(),
    },
    options.key.privateKey,
    options.key.keyId,
  );
  const state = frontier.state();
  const id = repo.insert(signed, options.reason, state);
  return { ...signed, id, reason: options.reason, frontier: state };
}

/** The scheduled checkpoint's own audit row does not count, or every tick would sign a new head. */
export const SCHEDULED_CHECKPOINT_ACTION = 'audit.checkpoint-scheduled';
/** Nor do the witness's rows about pushing a checkpoint: each would call for a checkpoint of its own. */
export const WITNESS_DELIVERED_ACTION = 'audit.witness-delivered';
export const WITNESS_FAILED_ACTION = 'audit.witness-failed';

function nothingNewSince(db: Database.Database, seq: number): boolean {
  const row = db
    .prepare<[number, string, string, string], { n: number }>(
      'SELECT count(*) AS n FROM audit_log WHERE seq > ? AND action NOT IN (?, ?, ?)',
    )
    .get(seq, SCHEDULED_CHECKPOINT_ACTION, WITNESS_DELIVERED_ACTION, WITNESS_FAILED_ACTION);
  return row?.n === 0;
}

function startingPoint(
  db: Database.Database,
  latest: StoredCheckpoint | null,
  key: CheckpointSigningKey,
): { frontier: MerkleFrontier; afterSeq: number; prevHash: string } {
  if (latest === null) return { frontier: new MerkleFrontier(), afterSeq: 0, prevHash: GENESIS_HASH };
  const { seq, headHash, merkleRoot } = latest.checkpoint;
  const refuse = (why: string): never => {
    throw new CheckpointRefusedError(`not signing: the latest checkpoint (#${seq}) ${why}`, seq);
  };
  if (latest.keyId !== key.keyId || !checkpointSignatureValid(latest, key.publicKeyPem)) {
    refuse('is not signed by this store key');
  }
  let frontier: MerkleFrontier;
  try {
    frontier = MerkleFrontier.fromState(latest.frontier);
  } catch {
    return refuse('has an unreadable Merkle frontier');
  }
  if (frontier.size !== seq || frontier.rootHex() !== merkleRoot)
    refuse('has a frontier that is not its root');
  if (seq > 0) {
    const row = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(seq);
    if (row?.hash !== headHash) refuse(`no longer matches the log: row #${seq} is gone or rewritten`);
  }
  return { frontier, afterSeq: seq, prevHash: seq === 0 ? GENESIS_HASH : headHash };
}
