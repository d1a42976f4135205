import type { Target } from '../../connectors/types.js';
import type { RunCounts } from '../../../shared/domain/run.js';
import { ConnectionDown } from '../breakers/breaker-guard.js';
import type { DeferReason } from '../outbox/outbox-repo.js';
import type {
  BatchOutcome,
  FailedRecord,
  LoadedRecord,
  OutboxSettlement,
  SourceRef,
} from '../store/batch-commit.js';
import { loadChunk } from './load-chunk.js';
import type { MappedRecord } from './map-page.js';
import { orderWaves } from './order-waves.js';
import type { RunControl } from './run-control.js';
import type { FactsOf, WrittenRecord } from '../reconcile/reconcile-facts.js';

/** A record to send: mapped in this run, or a write waiting in the flow's outbox (with its seq). */
export type SendableRecord = MappedRecord & { readonly outboxSeq?: number; readonly mappingVersion?: number };

/**
 * Whether a run's writes go to the target or to the outbox. Once a run defers, it defers to the end
 * (sticky): a later record of a key must never overtake an earlier one that waits in the outbox.
 */
export interface Deferral {
  /** The target's state now (degraded mode, breaker): why writes must wait, or null to send. */
  readonly check: () => DeferReason | null;
  /** Set once the run defers (or starts behind an outbox that still waits). */
  reason: DeferReason | null;
}

export interface SendDeps {
  readonly target: Target;
  readonly operation: Readonly<Record<string, unknown>>;
  readonly batchSize: number;
  readonly control: RunControl;
  readonly knownTargetIds?: (keys: readonly string[]) => ReadonlyMap<string, string>;
  readonly retryDelaysMs: readonly number[];
  readonly transientAsFailures?: boolean;
  /** Absent while draining the outbox: a drain stops (ConnectionDown) instead of deferring again. */
  readonly deferral?: Deferral;
  /** Commits one chunk's outcome (one transaction); `pending` = records of the page still unsent. */
  readonly commit: (batch: Omit<BatchOutcome, 'batchNo'>, pending: number) => void;
  readonly onLoadCall: (ms: number) => void;
  /** A flow that reconciles: the facts of the writes that went through, committed with them. */
  readonly factsOf?: FactsOf;
}

/** What the page's first and last commits carry besides the chunks' own outcome. */
export interface PageExtras {
  readonly failed: readonly FailedRecord[];
  readonly counts: Pick<RunCounts, 'read' | 'mapped' | 'unchanged'>;
  readonly unchanged?: readonly SourceRef[];
  readonly settle?: readonly OutboxSettlement[];
  /** On the page's last commit: the cursor (absent for replays and drains). */
  readonly cursor?: { readonly cursor: string | null };
  /** Count what was sent as drained (outbox writes), not as written (records read by this run). */
  readonly draining?: boolean;
  /** While draining: the writes this run staged itself (see DrainDeps.ownRunId). */
  readonly ownSeqs?: ReadonlySet<number>;
}

/**
 * The counts of a draining commit's settlements: another run's writes count as drained; this run's
 * own staged writes count as its writes (sent: written, unchanged: unchanged) and leave `deferred`,
 * where staging counted them, so a watched run that sends its batch reads "written 120", not
 * "deferred 120, drained 120". Failures are counted as failed by the caller either way.
 */
export function drainedCounts(
  settle: readonly OutboxSettlement[],
  ownSeqs: ReadonlySet<number> | undefined,
): { written: number; unchanged: number; drained: number; undeferred: number } {
  let written = 0;
  let unchanged = 0;
  let own = 0;
  for (const settlement of settle) {
    if (ownSeqs?.has(settlement.seq) !== true) continue;
    own += 1;
    if (settlement.state === 'sent') written += 1;
    else if (settlement.state === 'unchanged') unchanged += 1;
  }
  return { written, unchanged, drained: settle.length - own, undeferred: own };
}

/** The optional counts of a commit: present only when not zero (a deferral undone counts negative). */
function optionalCounts(deferred: number, drained: number | null): Partial<RunCounts> {
  return {
    ...(deferred !== 0 ? { deferred } : {}),
    ...(drained !== null ? { drained } : {}),
  };
}

/**
 * Sends a page's mapped records in per-key order, chunk by chunk, committing each chunk's outcome —
 * or, while the target is down or degraded, commits them into the outbox instead (the page's cursor
 * moves all the same: extraction goes on, nothing is lost). One call in flight at a time, so the
 * target is never sent more than it answers.
 */
export async function sendChunks(
  records: readonly SendableRecord[],
  extras: PageExtras,
  deps: SendDeps,
): Promise<void> {
  const chunks = orderWaves(records, deps.batchSize);
  if (chunks.length === 0) {
    const own = extras.draining === true ? drainedCounts(extras.settle ?? [], extras.ownSeqs) : null;
    deps.commit(
      {
        loaded: [],
        failed: extras.failed,
        counts: {
          ...extras.counts,
          unchanged: extras.counts.unchanged + (own?.unchanged ?? 0),
          written: own?.written ?? 0,
          failed: extras.failed.length,
          ...optionalCounts(-(own?.undeferred ?? 0), own === null ? null : own.drained),
        },
        ...(extras.unchanged !== undefined && extras.unchanged.length > 0
          ? { unchanged: extras.unchanged }
          : {}),
        ...(extras.settle !== undefined ? { settle: extras.settle } : {}),
        ...(extras.cursor ?? {}),
      },
      0,
    );
    return;
  }
  const heldBack = new Set<string>();
  let pending = records.length;
  for (const [index, chunk] of chunks.entries()) {
    const first = index === 0;
    const last = index === chunks.length - 1;
    // A key that failed earlier in this page holds back its later records: writing them would put
    // a newer version before the failed older one once that one is repaired and replayed.
    const held = chunk.filter((record) => heldBack.has(record.orderKey));
    const sendable = held.length === 0 ? chunk : chunk.filter((record) => !heldBack.has(record.orderKey));
    const loaded: LoadedRecord[] = [];
    const written: WrittenRecord[] = [];
    const failed: FailedRecord[] = first ? [...extras.failed] : [];
    const settle: OutboxSettlement[] = first && extras.settle !== undefined ? [...extras.settle] : [];
    for (const record of held) {
      failed.push(
        failure(
          record,
          'engine.held-back',
          'An earlier record with the same ordering key failed in this run.',
        ),
      );
      if (record.outboxSeq !== undefined)
        settle.push({ seq: record.outboxSeq, state: 'failed', targetId: null });
    }
    let deferred: readonly SendableRecord[] = [];
    if (sendable.length > 0) {
      const deferral = deps.deferral;
      if (deferral !== undefined && deferral.reason === null) deferral.reason = deferral.check();
      if (deferral?.reason != null) {
        deferred = sendable;
      } else {
        const outcomes = await load(sendable, deps);
        if (outcomes === 'down') {
          // The breaker opened on this chunk: it and every later write of the run wait in the outbox.
          if (deferral === undefined) throw new ConnectionDownDuringDrain();
          deferral.reason = 'breaker';
          deferred = sendable;
        } else {
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
                ...(record.mappingVersion === undefined ? {} : { mappingVersion: record.mappingVersion }),
              });
              if (deps.factsOf !== undefined) written.push({ ...record, targetId: outcome.targetId });
              if (record.outboxSeq !== undefined)
                settle.push({ seq: record.outboxSeq, state: 'sent', targetId: outcome.targetId });
            } else {
              heldBack.add(record.orderKey);
              failed.push({
                ...failure(record, outcome.error.code, outcome.error.message),
                error: outcome.error,
              });
              if (record.outboxSeq !== undefined)
                settle.push({ seq: record.outboxSeq, state: 'failed', targetId: null });
            }
          });
        }
      }
    }
    pending -= chunk.length;
    const draining = extras.draining === true;
    const own = draining ? drainedCounts(settle, extras.ownSeqs) : null;
    const facts = deps.factsOf !== undefined && written.length > 0 ? await deps.factsOf(written) : [];
    deps.commit(
      {
        loaded,
        failed,
        counts: {
          read: first ? extras.counts.read : 0,
          mapped: first ? extras.counts.mapped : 0,
          unchanged: (first ? extras.counts.unchanged : 0) + (own?.unchanged ?? 0),
          written: own === null ? loaded.length : own.written,
          failed: failed.length,
          ...optionalCounts(deferred.length - (own?.undeferred ?? 0), own === null ? null : own.drained),
        },
        ...(first && extras.unchanged !== undefined && extras.unchanged.length > 0
          ? { unchanged: extras.unchanged }
          : {}),
        ...(settle.length > 0 ? { settle } : {}),
        ...(facts.length > 0 ? { facts } : {}),
        ...(deferred.length > 0 && deps.deferral?.reason != null
          ? { deferred: { reason: deps.deferral.reason, records: deferred } }
          : {}),
        ...(last ? (extras.cursor ?? {}) : {}),
      },
      pending,
    );
    if (!last) await deps.control.checkpoint();
  }
}

/** The target went down while the outbox drained: the drain stops, its waiting writes stay. */
export class ConnectionDownDuringDrain extends Error {
  constructor() {
    super('The target went down while the outbox drained.');
    this.name = 'ConnectionDownDuringDrain';
  }
}

async function load(records: readonly SendableRecord[], deps: SendDeps) {
  const started = performance.now();
  // Read after the previous chunk's commit, so a key written earlier in this run is known.
  const knownTargetIds = deps.knownTargetIds?.(records.map((record) => record.key));
  try {
    return await loadChunk(records, {
      target: deps.target,
      operation: deps.operation,
      ...(knownTargetIds === undefined ? {} : { knownTargetIds }),
      signal: deps.control.signal,
      waitSignal: deps.control.waitSignal,
      retryDelaysMs: deps.retryDelaysMs,
      ...(deps.transientAsFailures === true ? { transientAsFailures: true } : {}),
    });
  } catch (error) {
    if (error instanceof ConnectionDown && error.role === 'target') return 'down' as const;
    throw error;
  } finally {
    deps.onLoadCall(performance.now() - started);
  }
}

export function failure(record: MappedRecord, code: string, message: string): FailedRecord {
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
