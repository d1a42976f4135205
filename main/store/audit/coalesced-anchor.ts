import type { AuditHead } from './audit-chain-head.js';
import { advanceAnchor } from './audit-head-anchor.js';

/**
 * How long the head anchor may trail the committed log while appends keep coming. Writing the
 * anchor costs a file write, an fsync and a rename; doing that after every commit made each append
 * batch pay a second disk flush. Coalescing writes it at most once per interval (plus on flush and
 * close), so a steady stream of batches pays for it a few times a second instead of per batch.
 *
 * The trade-off: rows committed in the last interval before a crash (SIGKILL, power cut) are not
 * yet named by the anchor. That is exactly the "anchor behind" state a crash between commit and
 * anchor write could always leave: verify reports it as intact-with-anchor-behind (the anchored row
 * is still in the chain and every later row chains from it), and the next start repairs it with an
 * audit row that says how many rows were behind. What the anchor guards — rows cut from the end
 * after it named them — is unchanged: an anchor is only ever moved forward, over committed rows.
 * On a clean stop the store flushes, so a stopped console always leaves an anchor at the head.
 */
export const ANCHOR_MAX_LAG_MS = 100;

export interface AnchorWriter {
  /** A commit reached `head`: write the anchor now, or within ANCHOR_MAX_LAG_MS. */
  committed(head: AuditHead): void;
  /** Write a pending anchor now (before a verify on this connection, and on close). */
  flush(): void;
}

export interface AnchorWriterOptions {
  readonly path: string;
  readonly maxLagMs?: number;
  /** Monotonic milliseconds; tests pin it. */
  readonly clock?: () => number;
  /** A failed write: the rows are safe, only the tail check is behind until the next write. */
  readonly onError: (error: Error, head: AuditHead) => void;
}

export function createAnchorWriter(options: AnchorWriterOptions): AnchorWriter {
  const maxLagMs = options.maxLagMs ?? ANCHOR_MAX_LAG_MS;
  const clock = options.clock ?? ((): number => performance.now());
  let pending: AuditHead | null = null;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function flush(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    const head = pending;
    if (head === null) return;
    pending = null;
    lastWriteAt = clock();
    try {
      advanceAnchor(options.path, head);
    } catch (error) {
      options.onError(error as Error, head);
    }
  }

  return {
    committed(head) {
      if (pending === null || head.seq > pending.seq) pending = head;
      const waited = clock() - lastWriteAt;
      if (waited >= maxLagMs) {
        flush();
      } else if (timer === null) {
        // unref: a pending anchor must not keep a finished process alive; close() flushes it, and
        // a process that exits without closing leaves "anchor behind", which the next start repairs.
        timer = setTimeout(flush, maxLagMs - waited);
        timer.unref();
      }
    },
    flush,
  };
}
