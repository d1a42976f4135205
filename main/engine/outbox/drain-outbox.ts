import {
  ConnectionDownDuringDrain,
  sendChunks,
  type SendableRecord,
  type SendDeps,
} from '../pipeline/send-chunks.js';
import type { OutboxSettlement } from '../store/batch-commit.js';
import type { OutboxRepo } from './outbox-repo.js';

export interface DrainDeps {
  readonly outbox: OutboxRepo;
  readonly flowId: string;
  /** The payload hashes last written for these keys (a write already there is settled as unchanged). */
  readonly writtenHashes: (keys: readonly string[]) => ReadonlyMap<string, string>;
  /**
   * A watched run sending its own batch once judged: its staged writes count as its writes (and no
   * longer as deferred), not as drained; writes of other runs drained with them still count drained.
   */
  readonly ownRunId?: string;
}

/**
 * Sends a flow's waiting outbox writes, oldest first, before its run reads anything new: per key in
 * the order they were queued, one chunk in flight at a time (the target's own pace is the throttle),
 * each chunk's writes settled in the transaction that records their lineage. A crash resends at most
 * the chunk in flight, which the target's idempotent upsert absorbs; a write whose payload is already
 * the last one written (sent just before a crash, or superseded) is settled as unchanged, not sent.
 * Answers 'target-down' when the target's breaker opened meanwhile: what is left keeps waiting.
 */
export async function drainOutbox(
  drain: DrainDeps,
  send: Omit<SendDeps, 'deferral'>,
): Promise<'drained' | 'target-down'> {
  let afterSeq = 0;
  for (;;) {
    await send.control.checkpoint();
    const page = drain.outbox.waitingPage(drain.flowId, afterSeq, send.batchSize);
    const lastWrite = page.at(-1);
    if (lastWrite === undefined) return 'drained';
    afterSeq = lastWrite.seq;
    const written = drain.writtenHashes(page.map((write) => write.key));
    const settle: OutboxSettlement[] = [];
    const toSend: SendableRecord[] = [];
    const keysAhead = new Set<string>();
    const ownSeqs = new Set(page.filter((write) => write.runId === drain.ownRunId).map((write) => write.seq));
    for (const write of page) {
      // Unchanged only when no earlier write of the key in this page goes first (it would change it).
      if (!keysAhead.has(write.key) && written.get(write.key) === write.payloadHash) {
        settle.push({ seq: write.seq, state: 'unchanged', targetId: null });
        continue;
      }
      keysAhead.add(write.key);
      toSend.push({ ...write, outboxSeq: write.seq, mappingVersion: write.mappingVersion });
    }
    try {
      await sendChunks(
        toSend,
        { failed: [], counts: { read: 0, mapped: 0, unchanged: 0 }, settle, draining: true, ownSeqs },
        send,
      );
    } catch (error) {
      if (error instanceof ConnectionDownDuringDrain) return 'target-down';
      throw error;
    }
  }
}
