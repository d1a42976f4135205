import type { Source, SourcePage, Target } from '../../connectors/types.js';
import type { RunCounts } from '../../../shared/domain/run.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import type { BatchOutcome, FailedRecord, LoadedRecord, RunContext } from '../store/batch-commit.js';
import { loadChunk } from './load-chunk.js';
import { mapRecords, skipUnchanged, type MappedRecord, type MappedRecords } from './map-page.js';
import { orderWaves } from './order-waves.js';
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
  /** Between checkpoints: lets tests stop a run at a chosen point. */
  readonly onBatchCommitted?: (batchNo: number) => void;
}

const ZERO: RunCounts = { read: 0, mapped: 0, unchanged: 0, written: 0, failed: 0 };

function add(a: RunCounts, b: RunCounts): RunCounts {
  return {
    read: a.read + b.read,
    mapped: a.mapped + b.mapped,
    unchanged: a.unchanged + b.unchanged,
    written: a.written + b.written,
    failed: a.failed + b.failed,
  };
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

  for await (const page of prefetchOne(mapAhead(pages, deps))) {
    await control.checkpoint();
    const mapped = skipUnchanged(page.mapped, deps);
    const pageCounts: RunCounts = {
      read: page.read,
      mapped: mapped.mapped,
      unchanged: mapped.unchanged,
      written: 0,
      failed: mapped.failed.length,
    };
    const chunks = orderWaves(mapped.toLoad, deps.batchSize);
    const cursor = deps.replay === true ? {} : { cursor: page.cursor };
    const unchanged = mapped.unchangedRecords.length > 0 ? { unchanged: mapped.unchangedRecords } : {};
    if (chunks.length === 0) {
      commit({ loaded: [], failed: mapped.failed, counts: pageCounts, ...unchanged, ...cursor }, 0);
      continue;
    }
    const heldBack = new Set<string>();
    let pending = mapped.toLoad.length;
    for (const [index, chunk] of chunks.entries()) {
      // A key that failed earlier in this page holds back its later records: writing them would put
      // a newer version before the failed older one once that one is repaired and replayed.
      const held = chunk.filter((record) => heldBack.has(record.orderKey));
      const sendable = held.length === 0 ? chunk : chunk.filter((record) => !heldBack.has(record.orderKey));
      const loaded: LoadedRecord[] = [];
      const failed: FailedRecord[] = index === 0 ? [...mapped.failed] : [];
      for (const record of held)
        failed.push(
          failure(
            record,
            'engine.held-back',
            'An earlier record with the same ordering key failed in this run.',
          ),
        );
      if (sendable.length > 0) {
        const started = performance.now();
        // Read after the previous chunk's commit, so a key written earlier in this run is known.
        const knownTargetIds = deps.knownTargetIds?.(sendable.map((record) => record.key));
        const outcomes = await loadChunk(sendable, {
          target: deps.target,
          operation: deps.operation,
          ...(knownTargetIds === undefined ? {} : { knownTargetIds }),
          signal: control.signal,
          waitSignal: control.waitSignal,
          retryDelaysMs: deps.retryDelaysMs ?? [250, 1000, 4000],
          ...(deps.replay === true ? { transientAsFailures: true } : {}),
        });
        loadCalls += 1;
        loadMs += performance.now() - started;
        outcomes.forEach((outcome, position) => {
          const record = sendable[position];
          if (record === undefined) return;
          if (outcome.ok) {
            loaded.push({
              source: record.source,
              sourceHash: record.sourceHash,
              key: record.key,
              payloadHash: record.payloadHash,
              targetId: outcome.targetId,
              created: outcome.created,
            });
          } else {
            heldBack.add(record.orderKey);
            failed.push({
              ...failure(record, outcome.error.code, outcome.error.message),
              error: outcome.error,
            });
          }
        });
      }
      pending -= chunk.length;
      const first = index === 0;
      const last = index === chunks.length - 1;
      commit(
        {
          loaded,
          failed,
          counts: {
            read: first ? pageCounts.read : 0,
            mapped: first ? pageCounts.mapped : 0,
            unchanged: first ? pageCounts.unchanged : 0,
            written: loaded.length,
            failed: failed.length,
          },
          ...(first ? unchanged : {}),
          ...(last ? cursor : {}),
        },
        pending,
      );
      if (!last) await control.checkpoint();
    }
  }
  return total;
}

function failure(record: MappedRecord, code: string, message: string): FailedRecord {
  return {
    source: record.source,
    sourceJson: record.sourceJson,
    sourceHash: record.sourceHash,
    stage: 'load',
    key: record.key,
    payloadHash: record.payloadHash,
    payloadJson: record.payloadJson,
    error: { class: 'permanent', code, message },
  };
}
