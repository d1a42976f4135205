import { randomBytes } from 'node:crypto';

/**
 * Exception ids that sort in creation order: `exc_` + 12 hex digits of the creation time (ms) + 8
 * hex digits of a counter that starts at a random value each millisecond and counts up within it.
 *
 * WHY: the id is the key of the exceptions' id index and of exception_attempts' per-exception index.
 * Random ids put the 500 exceptions of one batch on 500 different index pages, so every batch that
 * opens or resolves them (a replay of 10,000 blocked records) rewrites most of both indexes into the
 * WAL. Time-ordered ids keep one batch's entries side by side (the replay's commits halve).
 *
 * Unique: one process never repeats (time never goes back here, the counter moves on within a ms);
 * two processes would need the same millisecond and overlapping counter windows out of 2^31 starts.
 * The shape stays `exc_` + 20 lowercase hex digits, what the contract's id schema accepts.
 */
export function createExceptionIds(clock: () => number = Date.now): () => string {
  let lastMs = 0;
  let counter = 0;
  return () => {
    const now = clock();
    if (now > lastMs) {
      lastMs = now;
      counter = randomBytes(4).readUInt32BE(0) & 0x7fffffff;
    } else {
      // The clock stood still or went back: stay on the last millisecond and count on from there.
      counter += 1;
    }
    const time = lastMs.toString(16).padStart(12, '0').slice(-12);
    return `exc_${time}${(counter >>> 0).toString(16).padStart(8, '0').slice(-8)}`;
  };
}
