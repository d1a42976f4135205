import { abortableSleep } from '../../connectors/http/retry-timing.js';
import type { Target, TargetOutcome } from '../../connectors/types.js';
import type { MappedRecord } from './map-page.js';

/** The target refused a whole chunk as unreachable/unavailable, after retries: the run stops here. */
export class TargetUnavailable extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TargetUnavailable';
  }
}

export interface LoadChunkOptions {
  readonly target: Target;
  readonly operation: Readonly<Record<string, unknown>>;
  /** key → target id the flow recorded for keys of this chunk (the target may check those records). */
  readonly knownTargetIds?: ReadonlyMap<string, string>;
  readonly signal: AbortSignal;
  /** Cuts the waits short (a cancelled run), without aborting a write in flight. */
  readonly waitSignal?: AbortSignal;
  /** Waits between attempts when every record of a chunk failed transiently. */
  readonly retryDelaysMs: readonly number[];
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * After the retries, answer a wholly transient chunk as its records' failures instead of stopping
   * the run (a replay: no cursor to hold back, and each exception has its own backoff).
   */
  readonly transientAsFailures?: boolean;
}

/**
 * One target write for a chunk. When EVERY record failed transiently (the target is down, not the
 * data wrong) the chunk is retried a few times; if it still fails the run stops without storing
 * thousands of failures and without moving the cursor, so the next run reads the records again.
 * A chunk where only some records failed is a data problem: those become failures, the rest go on.
 */
export async function loadChunk(
  chunk: readonly MappedRecord[],
  options: LoadChunkOptions,
): Promise<TargetOutcome[]> {
  // Rejects with the signal's own reason: a cancelled run stays a cancelled run.
  const sleep = options.sleep ?? abortableSleep;
  const writes = chunk.map((record) => ({ key: record.key, payload: record.payload }));
  for (let attempt = 0; ; attempt += 1) {
    const outcomes = await options.target.write({
      operation: options.operation,
      records: writes,
      ...(options.knownTargetIds === undefined ? {} : { knownTargetIds: options.knownTargetIds }),
      signal: options.signal,
      ...(options.waitSignal === undefined ? {} : { waitSignal: options.waitSignal }),
    });
    if (outcomes.length !== chunk.length) {
      throw new TargetUnavailable(
        'engine.bad-outcomes',
        `The target answered ${outcomes.length} outcomes for ${chunk.length} records.`,
      );
    }
    const allTransient = outcomes.every((outcome) => !outcome.ok && outcome.error.class === 'transient');
    if (!allTransient) return outcomes;
    const delay = options.retryDelaysMs[attempt];
    if (delay === undefined) {
      if (options.transientAsFailures === true) return outcomes;
      const first = outcomes[0];
      const error =
        first !== undefined && !first.ok ? first.error : { code: 'engine.target-down', message: 'unknown' };
      throw new TargetUnavailable(
        error.code,
        `The target did not accept writes after ${attempt + 1} attempts: ${error.message}`,
      );
    }
    await sleep(
      delay,
      options.waitSignal === undefined
        ? options.signal
        : AbortSignal.any([options.signal, options.waitSignal]),
    );
  }
}
