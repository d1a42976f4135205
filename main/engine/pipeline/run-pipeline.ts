import type { Source, SourcePage, Target } from '../../connectors/types.js';
import type { RunCounts } from '../../../shared/domain/run.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import type { BatchOutcome, FailedRecord, RunContext } from '../store/batch-commit.js';
import type { FallbackMatcher } from '../fallback/fallback-types.js';
import { mapRecords, skipUnchanged, type MappedRecords } from './map-page.js';
import { drainOutbox, type DrainDeps } from '../outbox/drain-outbox.js';
import { sendChunks, type Deferral, type SendDeps } from './send-chunks.js';
import { prefetchOne } from './prefetch.js';
import type { RunControl } from './run-control.js';

export interface PipelineProgress {
  readonly counts: RunCounts;
  readonly loadCalls: number;
  readonly loadMs: number;
  /** Records read but without a durable outcome yet. */
  readonly queueDepth: number;
}

export interface PipelineDeps {
  readonly source: Source;
  readonly target: Target;
  readonly selector: Readonly<Record<string, unknown>>;
  readonly operation: Readonly<Record<string, unknown>>;
  readonly startCursor: string | null;
  readonly batchSize: number;
  readonly mapping: CompiledMapping;
  readonly orderingKey: ((data: unknown) => Promise<string>) | null;
  readonly context: RunContext;
  readonly control: RunControl;
  readonly writtenHashes: (keys: readonly string[]) => ReadonlyMap<string, string>;
  /** The target ids recorded for these keys by earlier batches (passed to the target with a chunk). */
  readonly knownTargetIds?: (keys: readonly string[]) => ReadonlyMap<string, string>;
  /** Commits one batch's outcome durably (one transaction), then whatever must follow it. */
  readonly commit: (context: RunContext, batch: BatchOutcome) => void;
  readonly onProgress: (progress: PipelineProgress) => void;
  readonly onFailure: (failure: FailedRecord) => void;
  readonly retryDelaysMs?: readonly number[];
  /**
   * A replay run sends stored records, not a page of the source: it never moves the flow's cursor,
   * and a chunk that fails transiently as a whole becomes failures (retried by the exception's own
   * backoff) instead of stopping the run.
   */
  readonly replay?: boolean;
  /** Where writes go while the target is down or degraded (absent for replays: they only send). */
  readonly deferral?: Deferral;
  /** The flow's outbox: its waiting writes are sent first, before anything new is read. */
  readonly drain?: Omit<DrainDeps, 'writtenHashes'>;
  /** Drops records matched to manual fallback entries (main/engine/fallback), settling them itself. */
  readonly matchFallback?: FallbackMatcher;
  /**
   * Anomaly watch (main/engine/anomaly): every write of the run is staged in the outbox, then the
   * whole batch is judged once the source is read; 'send' drains it (in order), 'hold' leaves it held.
   */
  readonly judgeBatch?: () => 'send' | 'hold';
  /** Judges writes earlier runs staged and never judged (a kill between staging and judging). */
  readonly judgeLeftBatches?: () => void;
  /** Between checkpoints: lets tests stop a run at a chosen point. */
  readonly onBatchCommitted?: (batchNo: number) => void;
  /** A flow that reconciles (main/engine/reconcile): each written record's fact, committed with it. */
  readonly factsOf?: SendDeps['factsOf'];
}

const ZERO: RunCounts = { read: 0, mapped: 0, unchanged: 0, written: 0, failed: 0 };

function add(a: RunCounts, b: RunCounts): RunCounts {
  return {
    read: a.read + b.read,
    mapped: a.mapped + b.mapped,
    unchanged: a.unchanged + b.unchanged,
    written: a.written + b.written,
    failed: a.failed + b.failed,
    ...sumOf('deferred', a, b),
    ...sumOf('drained', a, b),
  };
}

/**
 * What each key holds once everything before this page is done: the last payload written, or the
 * newest one waiting in the flow's outbox (sent before anything this run reads).
 */
function expectedHashes(deps: PipelineDeps, keys: readonly string[]): ReadonlyMap<string, string> {
  const written = deps.writtenHashes(keys);
  if (deps.drain === undefined) return written;
  const waiting = deps.drain.outbox.newestWaitingHashes(deps.drain.flowId, keys);
  if (waiting.size === 0) return written;
  return new Map([...written, ...waiting]);
}

/** The optional counts stay absent while zero (a run that neither deferred nor drained shows neither). */
function sumOf(name: 'deferred' | 'drained', a: RunCounts, b: RunCounts): Partial<RunCounts> {
  const sum = (a[name] ?? 0) + (b[name] ?? 0);
  return sum > 0 ? { [name]: sum } : {};
}

/**
 * Maps one page ahead: while page N is being loaded (the worker waits on the target), page N+1 is
 * mapped and validated, so the engine's CPU work overlaps the target's. Mapping touches no store,
 * so running it early changes nothing durable; the unchanged check still waits for N's commit.
 * At most three pages are held: one loading, one mapped, one being read.
 */
async function* mapAhead(
  pages: AsyncIterable<SourcePage>,
  deps: Pick<PipelineDeps, 'mapping' | 'orderingKey'>,
): AsyncGenerator<{ cursor: string | null; read: number; mapped: MappedRecords }> {
  // Only the cursor and the count stay of the page itself: its records are dropped once mapped.
  for await (const page of prefetchOne(pages)) {
    const mapped = await mapRecords(page.records, deps);
    yield { cursor: page.cursor, read: page.records.length, mapped };
  }
}

/**
 * extract a page → map → validate → skip unchanged → load in batches, in per-key order → commit
 * each batch's outcome (and, with the page's last batch, the cursor) in one transaction.
 */
export async function runPipeline(deps: PipelineDeps): Promise<RunCounts> {
  const { control } = deps;
  let total = ZERO;
  let batchNo = 0;
  let loadCalls = 0;
  let loadMs = 0;
  const pages = deps.source.extract({
    selector: deps.selector,
    cursor: deps.startCursor,
    pageSize: deps.batchSize,
    signal: control.signal,
  });

  const commit = (batch: Omit<BatchOutcome, 'batchNo'>, queueDepth: number): void => {
    batchNo += 1;
    deps.commit(deps.context, { ...batch, batchNo });
    total = add(total, batch.counts);
    for (const failure of batch.failed) deps.onFailure(failure);
    deps.onProgress({ counts: total, loadCalls, loadMs, queueDepth });
    deps.onBatchCommitted?.(batchNo);
  };

  const send: Omit<SendDeps, 'deferral'> = {
    target: deps.target,
    operation: deps.operation,
    batchSize: deps.batchSize,
    control,
    ...(deps.knownTargetIds === undefined ? {} : { knownTargetIds: deps.knownTargetIds }),
    retryDelaysMs: deps.retryDelaysMs ?? [250, 1000, 4000],
    ...(deps.replay === true ? { transientAsFailures: true } : {}),
    commit,
    ...(deps.factsOf === undefined ? {} : { factsOf: deps.factsOf }),
    onLoadCall: (ms) => {
      loadCalls += 1;
      loadMs += ms;
    },
  };
  const deferral = deps.deferral;
  // Before anything leaves the outbox: staged writes nobody judged are judged now, never sent as is.
  deps.judgeLeftBatches?.();
  if (deps.drain !== undefined && deferral !== undefined && deps.drain.outbox.hasWaiting(deps.drain.flowId)) {
    // Older writes first: while any still waits, everything this run reads waits behind it.
    deferral.reason = deferral.check();
    if (deferral.reason === null) {
      const drained = await drainOutbox({ ...deps.drain, writtenHashes: deps.writtenHashes }, send);
      if (drained === 'target-down') deferral.reason = 'breaker';
    }
  }
  // Writes still waiting behind a batch held as anomalous: everything this run reads waits behind them.
  if (
    deps.drain !== undefined &&
    deferral?.reason === null &&
    deps.drain.outbox.waitingCount(deps.drain.flowId) > 0
  )
    deferral.reason = 'behind';
  // Judged as one batch before any of it is posted: staged in the outbox, in key order.
  if (deps.judgeBatch !== undefined && deferral !== undefined && deferral.reason === null)
    deferral.reason = 'behind';
  for await (const page of prefetchOne(mapAhead(pages, deps))) {
    await control.checkpoint();
    const mapped = skipUnchanged(page.mapped, { writtenHashes: (keys) => expectedHashes(deps, keys) });
    // Records matched to a manual fallback entry were posted by hand already: not written twice.
    const toLoad = deps.matchFallback?.(mapped.toLoad, deps.context) ?? mapped.toLoad;
    const matched = mapped.toLoad.length - toLoad.length;
    await sendChunks(
      toLoad,
      {
        failed: mapped.failed,
        counts: { read: page.read, mapped: mapped.mapped, unchanged: mapped.unchanged + matched },
        unchanged: mapped.unchangedRecords,
        ...(deps.replay === true ? {} : { cursor: { cursor: page.cursor } }),
      },
      deferral === undefined ? send : { ...send, deferral },
    );
  }
  if (deps.judgeBatch?.() === 'send' && deps.drain !== undefined && deferral?.check() === null) {
    const own = { ownRunId: deps.context.runId };
    await drainOutbox({ ...deps.drain, writtenHashes: deps.writtenHashes, ...own }, send);
  }
  return total;
}
