import jsonata from 'jsonata';
import type { Run, RunStatus } from '../../../shared/domain/run.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { ConnectorError, type Source, type Target } from '../../connectors/types.js';
import type { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { SecretReader } from '../../vault/types.js';
import type Database from 'better-sqlite3';
import { createSource, createTarget, targetModelOf, type Endpoint } from '../connectors/flow-endpoints.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import { MappingCompileError } from '../mapping/mapping-errors.js';
import { runPipeline, type PipelineDeps } from '../pipeline/run-pipeline.js';
import { batchJudge, leftBatchJudge } from '../anomaly/anomaly-watch.js';
import type { FallbackWorkApi } from '../fallback/fallback-types.js';
import type { DegradedModes } from '../outbox/degraded-modes.js';
import type { OutboxRepo } from '../outbox/outbox-repo.js';
import { RunCancelled, type RunControl } from '../pipeline/run-control.js';
import { TargetUnavailable } from '../pipeline/load-chunk.js';
import { ReplaySource } from '../replay/replay-source.js';
import { ReplayPages } from '../store/replay-pages.js';
import type { BatchOutcome, RunContext } from '../store/batch-commit.js';
import type { FlowsRepo } from '../store/flows-repo.js';
import type { MappingsRepo } from '../store/mappings-repo.js';
import type { RunsRepo } from '../store/runs-repo.js';
import { breakerAwareSource, breakerAwareTarget, ConnectionDown } from '../breakers/breaker-guard.js';
import { downMessage, type ConnectionBreakers } from '../breakers/connection-breakers.js';
import { CredentialsRefused, refusalAwareSource, refusalAwareTarget } from './credential-guard.js';
import { GuardedTarget, writeBudgetMs } from './guarded-target.js';
import { ProgressReporter } from './progress-reporter.js';
import { factsExtractor } from '../reconcile/reconcile-facts.js';
import type { TargetCalls } from './target-calls.js';

export interface RunDeps {
  readonly db: Database.Database;
  readonly flows: FlowsRepo;
  readonly runs: RunsRepo;
  readonly mappings: MappingsRepo;
  readonly connections: ConnectionsRepo;
  readonly secrets: SecretReader;
  readonly ownerId: string;
  readonly leaseMs: number;
  readonly deadOwners: () => string[];
  /**
   * When another engine holds the flow: fail the run saying so (a one-off engine, e.g. the command
   * line), or leave it queued for the supervising engine to start once the flow is free.
   */
  readonly whenClaimRefused?: 'fail' | 'leave-queued';
  /** The ledger of target calls in flight (what a crash leaves running in the target). */
  readonly calls: TargetCalls;
  readonly log?: (message: string) => void;
  /** The source or target refused the stored credentials: hold the connection (recorded, audited). */
  readonly onCredentialsRefused?: (refused: CredentialsRefused, runId: string) => void;
  /** The connections' circuit breakers: whole calls are counted; an open one stops the run (waiting). */
  readonly breakers?: ConnectionBreakers;
  /** The durable outbox: writes wait there while the target is down or degraded, and drain first. */
  readonly outbox?: OutboxRepo;
  readonly degraded?: DegradedModes;
  /** Manual fallback: drops source records matched to entries typed in by hand. */
  readonly fallback?: FallbackWorkApi;
  readonly commitBatch: (context: RunContext, batch: BatchOutcome) => void;
  readonly writtenHashes: (flowId: string, keys: readonly string[]) => ReadonlyMap<string, string>;
  readonly knownTargetIds?: (flowId: string, keys: readonly string[]) => ReadonlyMap<string, string>;
  readonly compiled: (mappingId: string, version: number) => CompiledMapping;
  readonly emit: (event: LiveEvent) => void;
  readonly retryDelaysMs?: readonly number[];
  readonly onBatchCommitted?: (runId: string, batchNo: number) => void;
  /** Test seams: build endpoints another way (a fake target that fails on purpose). */
  readonly endpoints?: {
    source?: (flowSourceId: string) => Endpoint<Source>;
    target?: (flowTargetId: string) => Endpoint<Target>;
  };
  readonly now?: () => Date;
}

function connectionOrFail(deps: RunDeps, id: string, role: string) {
  const connection = deps.connections.get(id);
  if (!connection)
    throw new ConnectorError(
      'configuration',
      'engine.no-connection',
      `The flow's ${role} connection no longer exists.`,
    );
  return connection;
}

/** Runs one queued run to its end and records how it ended. Never throws: the run row says it all. */
export async function executeRun(run: Run, control: RunControl, deps: RunDeps): Promise<RunStatus> {
  const reporter = new ProgressReporter(run.id, run.flowId, deps.emit);
  const flow = deps.flows.get(run.flowId);
  if (!flow) {
    deps.runs.finish(run.id, 'failed', 'The flow was deleted before the run started.');
    return 'failed';
  }
  if (!deps.flows.claim(flow.id, deps.ownerId, deps.leaseMs, deps.deadOwners())) {
    if (deps.whenClaimRefused === 'leave-queued') return 'queued';
    deps.runs.finish(run.id, 'failed', 'Another engine is running this flow right now.');
    return 'failed';
  }
  const closers: (() => Promise<void>)[] = [];
  let status: RunStatus = 'failed';
  let error: string | null = null;
  try {
    // A run that waited in the queue starts from where the flow is now, not where it was then.
    deps.runs.start(run.id, run.backfillFrom === null ? flow.cursor : undefined);
    deps.flows.setLastRun(flow.id, run.id);
    reporter.send('running');
    const sourceConnection = connectionOrFail(deps, flow.sourceConnectionId, 'source');
    const targetConnection = connectionOrFail(deps, flow.targetConnectionId, 'target');
    const source =
      deps.endpoints?.source?.(sourceConnection.id) ?? createSource(sourceConnection, deps.secrets, deps.db);
    closers.push(() => source.close());
    const target =
      deps.endpoints?.target?.(targetConnection.id) ?? createTarget(targetConnection, deps.secrets, deps.db);
    closers.push(() => target.close());
    const timeoutMs = 'timeoutMs' in targetConnection.settings ? targetConnection.settings.timeoutMs : 30_000;
    const guarded = new GuardedTarget(refusalAwareTarget(target.endpoint, targetConnection.id), {
      flowId: flow.id,
      runId: run.id,
      owner: deps.ownerId,
      calls: deps.calls,
      timeoutMs,
      budgetMs: writeBudgetMs(timeoutMs),
      onWait: (left, waitMs) =>
        deps.log?.(
          `run ${run.id}: ${left.length} write(s) to ${target.endpoint.system} left by a stopped engine may still be running there; waiting ${waitMs} ms before writing`,
        ),
    });
    const guard = <T>(
      endpoint: T,
      connectionId: string,
      wrap: (e: T, o: { breakers: ConnectionBreakers; connectionId: string }) => T,
    ): T =>
      deps.breakers === undefined ? endpoint : wrap(endpoint, { breakers: deps.breakers, connectionId });
    const orderingKey = flow.orderingKey === '' ? null : compileOrderingKey(flow.orderingKey);
    const context: RunContext = {
      runId: run.id,
      flowId: flow.id,
      sourceSystem: source.endpoint.system,
      targetSystem: target.endpoint.system,
      targetModel: targetModelOf(flow.targetOperation),
      mappingId: run.mappingId,
      mappingVersion: run.mappingVersion,
      targetConnectionId: targetConnection.id,
    };
    // A replay sends the stored records of its exceptions and never reads the source system.
    const replay = run.trigger === 'replay';
    // A source switched to degraded mode (or whose breaker is open) is not read: the run only sends
    // what waits in the outbox (manual fallback entries, writes deferred earlier).
    const sourceDown =
      !replay &&
      (deps.degraded?.get(sourceConnection.id) != null ||
        deps.breakers?.isOpen(sourceConnection.id) === true);
    const outage = replay ? {} : outageDeps(deps, flow.id, targetConnection.id);
    // Anomaly holds (issue 12): the run's writes are judged as one batch before any is posted.
    const clock = deps.now ?? (() => new Date());
    const judgeBatch =
      replay || flow.anomaly === undefined || deps.outbox === undefined
        ? {}
        : {
            judgeBatch: batchJudge(deps.db, context, flow.anomaly, clock, deps.emit, deps.log),
            judgeLeftBatches: leftBatchJudge(deps.db, context, flow.anomaly, clock, deps.emit, deps.log),
          };
    const counts = await runPipeline({
      ...outage,
      ...judgeBatch,
      // Reconciliation (issue 12): every write of the flow leaves its fact in the same transaction.
      ...(flow.reconcile === undefined ? {} : { factsOf: factsExtractor(flow.reconcile) }),
      source: replay
        ? new ReplaySource(source.endpoint.system, run.id, new ReplayPages(deps.db))
        : sourceDown
          ? nothingToRead(source.endpoint.system)
          : guard(
              refusalAwareSource(source.endpoint, sourceConnection.id),
              sourceConnection.id,
              (endpoint, options) =>
                breakerAwareSource(endpoint, {
                  ...options,
                  ...(deps.retryDelaysMs === undefined ? {} : { retryMs: deps.retryDelaysMs }),
                }),
            ),
      // A replay's transient failures are its exceptions' own (each has its backoff and limit): they
      // do not count against the breaker; while it is open, replays are not started at all.
      target: replay ? guarded : guard(guarded, targetConnection.id, breakerAwareTarget),
      selector: flow.sourceSelector,
      operation: flow.targetOperation,
      startCursor: run.backfillFrom === null ? flow.cursor : run.cursorBefore,
      batchSize: flow.batchSize,
      mapping: deps.compiled(run.mappingId, run.mappingVersion),
      orderingKey,
      context,
      control,
      writtenHashes: (keys) => deps.writtenHashes(flow.id, keys),
      knownTargetIds: (keys) => deps.knownTargetIds?.(flow.id, keys) ?? new Map<string, string>(),
      commit: (ctx, batch) => {
        deps.commitBatch(ctx, batch);
        // Renewing the claim with every batch keeps it alive for long runs and lets it lapse soon
        // after an engine dies.
        deps.flows.claim(flow.id, deps.ownerId, deps.leaseMs, []);
      },
      replay,
      onProgress: (progress) => reporter.progress(progress),
      onFailure: (failure) => reporter.failure(failure),
      ...(deps.retryDelaysMs === undefined ? {} : { retryDelaysMs: deps.retryDelaysMs }),
      ...(deps.onBatchCommitted === undefined
        ? {}
        : { onBatchCommitted: (n: number) => deps.onBatchCommitted?.(run.id, n) }),
    });
    status = counts.failed > 0 ? 'completed-with-failures' : 'succeeded';
    // A replay read nothing new from the source: the flow is no fresher than before.
    if (sourceDown) deps.breakers?.waitFor(flow.id, sourceConnection.id, run.id);
    else if (!replay) deps.flows.markSuccess(flow.id, (deps.now?.() ?? new Date()).toISOString());
  } catch (caught) {
    if (caught instanceof RunCancelled || control.isCancelled) {
      status = 'cancelled';
    } else if (caught instanceof ConnectionDown) {
      // Not a failure: the run ends at its last committed batch (the cursor kept) and the flow is
      // queued again when a probe finds the connection answering.
      status = 'interrupted';
      const name = deps.connections.get(caught.connectionId)?.name ?? `The ${caught.role} connection`;
      error = downMessage(name, caught.since, 'Stopped');
      deps.breakers?.waitFor(flow.id, caught.connectionId, run.id);
    } else {
      status = 'failed';
      error = describe(caught);
      if (caught instanceof CredentialsRefused) deps.onCredentialsRefused?.(caught, run.id);
    }
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    if (control.isShuttingDown) {
      // Left unfinished on purpose, with the claim released: the next start marks it interrupted
      // and resumes the flow from its last durable batch.
      status = 'interrupted';
    } else {
      deps.runs.finish(run.id, status, error);
    }
    deps.flows.release(flow.id, deps.ownerId);
    reporter.send(status);
  }
  return status;
}

/** A source that is down is not read: the run sends its outbox and stops there. */
function nothingToRead(system: string): Source {
  return { system, extract: () => (async function* () {})() };
}

/** The outbox, degraded mode and fallback matching for a run reading its source (not a replay). */
function outageDeps(
  deps: RunDeps,
  flowId: string,
  targetConnectionId: string,
): Pick<PipelineDeps, 'deferral' | 'drain' | 'matchFallback'> {
  const { outbox, degraded, breakers } = deps;
  const matcher = deps.fallback?.matcherFor(flowId) ?? null;
  return {
    ...(outbox === undefined ? {} : { drain: { outbox, flowId } }),
    ...(matcher === null ? {} : { matchFallback: matcher }),
    ...(outbox === undefined
      ? {}
      : {
          deferral: {
            reason: null,
            check: () => {
              if (degraded?.get(targetConnectionId) != null) return 'degraded';
              if (breakers?.isOpen(targetConnectionId) === true) return 'breaker';
              return null;
            },
          },
        }),
  };
}

function describe(error: unknown): string {
  if (error instanceof ConnectorError) return `${error.code}: ${error.message}`;
  if (error instanceof TargetUnavailable) return `${error.code}: ${error.message}`;
  if (error instanceof CredentialsRefused) {
    return `${error.code}: ${error.message} The run stopped before writing anything more; scheduled runs of the flows that use this connection wait until its secret is replaced or Test connection passes.`;
  }
  if (error instanceof MappingCompileError) return `mapping: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function compileOrderingKey(expression: string): (data: unknown) => Promise<string> {
  const compiled = jsonata(expression, { timeout: 1000, stack: 200 });
  return async (data) => {
    const value: unknown = await compiled.evaluate(data);
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    throw new Error('no ordering key');
  };
}
