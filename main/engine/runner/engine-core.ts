import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { ReplayStarted } from '../../../shared/domain/exception.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run, RunTrigger } from '../../../shared/domain/run.js';
import { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { FallbackEntry } from '../../../shared/domain/fallback.js';
import { connectionBreakerPolicy, DEFAULT_BREAKER_POLICY } from '../breakers/breaker-policy.js';
import { ConnectionBreakers } from '../breakers/connection-breakers.js';
import type { FallbackEntryInput } from '../fallback/fallback-types.js';
import { OutageWork } from '../outbox/outage-work.js';
import { backfillCursor } from '../connectors/flow-endpoints.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import { CompiledMappings } from '../mapping/compiled-mappings.js';
import { RunControl } from '../pipeline/run-control.js';
import { ExceptionWork } from '../replay/exception-work.js';
import { createAuditOutbox } from '../store/audit-outbox.js';
import { createBatchCommitter } from '../store/batch-commit.js';
import { flowRetryPolicies } from '../store/flow-retry-policy.js';
import { FlowsRepo } from '../store/flows-repo.js';
import { MappingsRepo } from '../store/mappings-repo.js';
import { DEFAULT_AUTO_RETRY } from '../store/retry-policy.js';
import { RunsRepo } from '../store/runs-repo.js';
import { CredentialHolds } from './credential-holds.js';
import { safely, startEngineClock } from './engine-clock.js';
import { EngineRequestError } from './engine-errors.js';
import type { EngineCoreOptions, EnqueueRequest } from './engine-options.js';
import { executeRun } from './execute-run.js';
import { FlowLeases } from './flow-leases.js';
import { deadOwners, newOwnerId } from './lease-owner.js';
import { RunCommands } from './run-commands.js';
import { RunSupervision } from './run-supervision.js';
import { TargetCalls } from './target-calls.js';
import { targetStateReads } from './target-state-reads.js';

export type { EngineCoreOptions, EnqueueRequest } from './engine-options.js';

const DEFAULT_LEASE_MS = 60_000;

/**
 * The engine proper: a queue of runs (one at a time per flow, a few flows at once), their pause /
 * resume / cancel controls, crash recovery, and the audit outbox. The runs table is the source of
 * truth: the queue in memory only orders what the table says is queued, and runs that the table
 * says are unfinished but that no live engine runs are adopted (see RunSupervision), at start and
 * every few seconds after. It runs inside the engine worker; tests and the CLI may run it in process.
 */
export class EngineCore {
  readonly ownerId: string;
  private readonly db: Database.Database;
  private readonly flows: FlowsRepo;
  private readonly runs: RunsRepo;
  private readonly mappings: MappingsRepo;
  private readonly connections: ConnectionsRepo;
  private readonly leases: FlowLeases;
  private readonly calls: TargetCalls;
  private readonly holds: CredentialHolds;
  private readonly breakers: ConnectionBreakers;
  private readonly outage: OutageWork;
  private readonly commands: RunCommands;
  private readonly supervision: RunSupervision;
  private readonly exceptions: ExceptionWork;
  private readonly commitBatch;
  private readonly outbox;
  private readonly targetState;
  private readonly compiledMappings: CompiledMappings;
  private readonly queue: string[] = [];
  private readonly active = new Map<string, { flowId: string; control: RunControl; done: Promise<void> }>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(private readonly options: EngineCoreOptions) {
    this.ownerId = options.ownerId ?? newOwnerId();
    this.db = options.store.db;
    this.flows = new FlowsRepo(this.db);
    this.runs = new RunsRepo(this.db);
    this.mappings = new MappingsRepo(this.db);
    this.compiledMappings = new CompiledMappings(this.mappings);
    this.connections = new ConnectionsRepo(this.db);
    this.leases = new FlowLeases(this.db, this.ownerId);
    this.calls = new TargetCalls(this.db);
    this.holds = new CredentialHolds(this.db, options.emit);
    const breakerPolicy = options.breakerPolicy ?? DEFAULT_BREAKER_POLICY;
    this.breakers = new ConnectionBreakers(this.db, options.emit, (id) =>
      connectionBreakerPolicy(this.connections.get(id)?.settings, breakerPolicy),
    );
    this.outage = new OutageWork({
      db: this.db,
      flows: this.flows,
      connections: this.connections,
      breakers: this.breakers,
      secrets: options.secrets,
      probe: options.probe,
      mappings: this.mappings,
      compiled: (mappingId, version) => this.compiled(mappingId, version),
      fallback: options.fallback,
      enqueue: (request) => this.tryEnqueue(request),
      heldByOther: (flowId) => this.leases.heldByOther(flowId) !== null,
      emit: options.emit,
      log: options.log,
    });
    this.supervision = new RunSupervision({
      db: this.db,
      runs: this.runs,
      flows: this.flows,
      mappings: this.mappings,
      leases: this.leases,
      isTracked: (runId) => this.active.has(runId) || this.queue.includes(runId),
      log: (message) => this.options.log?.(message),
    });
    const policyFor = flowRetryPolicies(this.db, options.autoRetry ?? DEFAULT_AUTO_RETRY);
    this.commitBatch = createBatchCommitter(this.db, undefined, policyFor);
    this.outbox = createAuditOutbox(this.db, options.store.audit);
    this.exceptions = new ExceptionWork({
      db: this.db,
      flows: this.flows,
      runs: this.runs,
      mappings: this.mappings,
      compiled: (mappingId, version) => this.compiled(mappingId, version),
      queue: (run) => this.queueRun(run),
      heldFor: (flow) => this.holds.refusalFor(flow, 'schedule') ?? this.downFor(flow, 'replay'),
      policyFor,
      ...(options.referenceBackoff === undefined ? {} : { referenceBackoff: options.referenceBackoff }),
      emit: options.emit,
      flushAudit: () => this.publishAudit(this.outbox.flush()),
    });
    this.targetState = targetStateReads(this.db);
    this.commands = new RunCommands({
      runs: this.runs,
      supervision: this.supervision,
      running: (runId) => this.active.get(runId)?.control ?? null,
      unqueue: (runId) => {
        const queued = this.queue.indexOf(runId);
        if (queued >= 0) this.queue.splice(queued, 1);
        this.notifyIdle();
      },
      supervise: () => this.supervise(),
    });
  }

  /**
   * Start of the engine's service life: audit rows owed from before a crash are written, unfinished
   * runs no live engine runs are taken over (left running by a dead engine: marked interrupted and
   * resumed from the flow's last committed cursor), and from now on that check repeats and the
   * leases of running flows are renewed. Returns the runs created to resume interrupted ones.
   */
  recover(): Run[] {
    this.publishAudit(this.outbox.recover());
    const resumed = this.supervise();
    this.startTimers();
    return resumed;
  }

  /** Adopts unfinished runs that no live engine runs (see RunSupervision); returns the resumes. */
  supervise(): Run[] {
    if (this.stopped) return [];
    const { queued, resumed } = this.supervision.sweep();
    for (const run of [...queued, ...resumed]) {
      if (!this.active.has(run.id) && !this.queue.includes(run.id)) this.queue.push(run.id);
    }
    // Outbox writes whose drain was asked for while no engine ran (or whose run was cancelled).
    const busy = new Set([...this.active.values()].map((entry) => entry.flowId));
    for (const id of this.queue) busy.add(this.runs.get(id)?.flowId ?? '');
    this.outage.drainForgotten(busy);
    this.pump();
    return resumed;
  }

  enqueue(request: EnqueueRequest): Run {
    if (this.stopped) throw new EngineRequestError('unavailable', 'The engine is shutting down.');
    const flow = this.flows.get(request.flowId);
    if (!flow) throw new EngineRequestError('not-found', 'That flow does not exist.');
    const held = this.holds.refusalFor(flow, request.trigger);
    if (held !== null) throw new EngineRequestError('conflict', held);
    const down = this.downFor(flow, request.trigger);
    if (down !== null) throw new EngineRequestError('conflict', down);
    const mapping = this.mappings.activeVersion(flow.mappingId);
    if (!mapping) {
      throw new EngineRequestError(
        'conflict',
        "The flow's mapping has no active version: approve and activate one first.",
      );
    }
    const backfill = request.backfillFrom ?? null;
    if (backfill === null) {
      // A run already waiting will read everything this one would: do not queue a second.
      const waiting = this.queue
        .map((id) => this.runs.get(id))
        .find(
          (run) =>
            run?.flowId === flow.id &&
            run.status === 'queued' &&
            run.backfillFrom === null &&
            run.trigger !== 'replay',
        );
      if (waiting) return waiting;
    }
    let cursorBefore = flow.cursor;
    if (backfill !== null) {
      const source = this.connections.get(flow.sourceConnectionId);
      cursorBefore = source ? backfillCursor(source, backfill) : null;
    }
    const run = this.runs.create({
      flowId: flow.id,
      trigger: request.trigger,
      requestedBy: request.requestedBy,
      mappingId: flow.mappingId,
      mappingVersion: mapping.version,
      cursorBefore,
      backfillFrom: backfill,
    });
    this.queueRun(run);
    return run;
  }

  /** Retry: replay runs (one per flow) sending these exceptions' stored records again. */
  retryExceptions(exceptionIds: readonly string[], requestedBy: string): ReplayStarted {
    if (this.stopped) throw new EngineRequestError('unavailable', 'The engine is shutting down.');
    return this.exceptions.retry(exceptionIds, requestedBy);
  }

  /** Edit-and-replay: validated with the active mapping first (refused: nothing stored or sent). */
  replayEdited(exceptionId: string, sourcePayload: unknown, requestedBy: string): Promise<ReplayStarted> {
    if (this.stopped) throw new EngineRequestError('unavailable', 'The engine is shutting down.');
    return this.exceptions.replayEdited(exceptionId, sourcePayload, requestedBy);
  }

  /** The automatic retry tick: replays due transient exceptions and applies fixes that became due. */
  retryDue(): Run[] {
    if (this.stopped) return [];
    return this.exceptions.retryDue();
  }

  /** One-click fixes: a mapping version was activated (or anything else may have made a fix due). */
  applyFixes(): void {
    if (!this.stopped) this.exceptions.applyFixes();
  }

  /** Why a run of the flow may not start now: a source down or degraded, or a replay's target down. */
  private downFor(flow: Flow, trigger: RunTrigger): string | null {
    return this.outage.refusalFor(flow, trigger);
  }

  /** Probes due breakers; a closed one resumes the flows it stopped and drains their outbox. */
  async probeBreakers(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.outage.probeBreakers();
    } finally {
      this.publishAudit(this.safeFlush());
    }
  }

  /** Runs draining the outbox (of a connection's flows, of one flow, or all) where the target is up. */
  drainOutbox(request: { connectionId: string | null; flowId: string | null; requestedBy: string }): Run[] {
    if (this.stopped) throw new EngineRequestError('unavailable', 'The engine is shutting down.');
    return this.outage.drain(request);
  }

  /** A manual fallback entry (mapped with the active mapping here, in the worker), then drained. */
  enterFallback(input: FallbackEntryInput): Promise<FallbackEntry> {
    if (this.stopped) throw new EngineRequestError('unavailable', 'The engine is shutting down.');
    return this.outage.enterFallback(input);
  }

  private queueRun(run: Run): void {
    this.queue.push(run.id);
    queueMicrotask(() => this.pump());
  }

  /** Like enqueue, but a refusal (no active mapping, deleted flow) is only logged as the answer null. */
  tryEnqueue(request: EnqueueRequest): Run | null {
    try {
      return this.enqueue(request);
    } catch {
      return null;
    }
  }

  pause(runId: string): Run {
    return this.commands.pause(runId);
  }

  resume(runId: string): Run {
    return this.commands.resume(runId);
  }

  /** Cancels a run whatever engine queued it (see RunCommands.cancel). */
  cancel(runId: string): Run {
    return this.commands.cancel(runId);
  }

  get activeCount(): number {
    return this.active.size;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** Resolves once nothing is running or queued. */
  idle(): Promise<void> {
    if (this.active.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work, aborts running runs (they resume at the next start) and waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.queue.length = 0;
    for (const entry of this.active.values()) entry.control.abortNow();
    await Promise.all([...this.active.values()].map((entry) => entry.done));
  }

  /** Recovered and supervising (a console's engine), rather than one run from the command line. */
  private get supervising(): boolean {
    return this.timers.length > 0;
  }

  private startTimers(): void {
    if (this.timers.length > 0 || this.stopped) return;
    const { superviseEveryMs, autoRetryEveryMs, breakerProbeEveryMs, log } = this.options;
    const jobs = {
      supervise: () => this.supervise(),
      retryDue: () => this.retryDue(),
      renewLeases: () => this.renewLeases(),
      probeBreakers: () => this.probeBreakers(),
    };
    const times = { superviseEveryMs, autoRetryEveryMs, breakerProbeEveryMs, leaseMs: this.leaseMs };
    this.timers.push(...startEngineClock(times, jobs, log));
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * A running flow's lease is renewed on a clock, not only with each batch, so one slow target call
   * cannot let it lapse. A lease found taken means another engine judged this one dead and runs the
   * flow now: this engine stops its run at once rather than write beside it.
   */
  private renewLeases(): void {
    for (const [runId, entry] of this.active) {
      if (this.flows.claim(entry.flowId, this.ownerId, this.leaseMs, [])) continue;
      this.options.log?.(`run ${runId}: another engine took over flow ${entry.flowId}; stopping here`);
      entry.control.abortNow();
    }
  }

  private pump(): void {
    const limit = this.options.maxConcurrentRuns ?? 2;
    for (let index = 0; index < this.queue.length && this.active.size < limit && !this.stopped;) {
      const runId = this.queue[index];
      const run = runId === undefined ? null : this.runs.get(runId);
      if (run?.status !== 'queued') {
        // Deleted, or cancelled meanwhile (possibly through another engine): not to be started.
        this.queue.splice(index, 1);
        continue;
      }
      if ([...this.active.values()].some((entry) => entry.flowId === run.flowId)) {
        index += 1; // one run per flow at a time, in queue order
        continue;
      }
      if (this.supervising && this.leases.heldByOther(run.flowId) !== null) {
        // Another live console process runs this flow: wait for it (the supervision timer pumps
        // again) instead of failing a run that can simply go next.
        index += 1;
        continue;
      }
      this.queue.splice(index, 1);
      this.startRun(run);
    }
    this.notifyIdle();
  }

  private startRun(run: Run): void {
    const control = new RunControl();
    const done = executeRun(run, control, {
      db: this.db,
      flows: this.flows,
      runs: this.runs,
      mappings: this.mappings,
      connections: this.connections,
      secrets: this.options.secrets,
      ownerId: this.ownerId,
      leaseMs: this.leaseMs,
      deadOwners: () => deadOwners(this.flows.leaseOwners(), this.ownerId),
      // From the command line a flow another process holds fails at once, saying so; a console's
      // engine leaves the run queued (supervision starts it once the flow is free).
      whenClaimRefused: this.supervising ? 'leave-queued' : 'fail',
      calls: this.calls,
      onCredentialsRefused: (refused, runId) => this.holds.record(refused, runId),
      breakers: this.breakers,
      outbox: this.outage.outbox,
      degraded: this.outage.degraded,
      ...(this.outage.fallback === null ? {} : { fallback: this.outage.fallback }),
      ...(this.options.log === undefined ? {} : { log: this.options.log }),
      commitBatch: (context, batch) => {
        this.commitBatch(context, batch);
        this.publishAudit(this.outbox.flush());
      },
      ...this.targetState,
      compiled: (mappingId, version) => this.compiled(mappingId, version),
      emit: this.options.emit,
      ...(this.options.retryDelaysMs === undefined ? {} : { retryDelaysMs: this.options.retryDelaysMs }),
      ...(this.options.onBatchCommitted === undefined
        ? {}
        : { onBatchCommitted: this.options.onBatchCommitted }),
      ...(this.options.endpoints === undefined ? {} : { endpoints: this.options.endpoints }),
    })
      .catch(() => undefined)
      .then(() => {
        this.active.delete(run.id);
        // Its fixes may be done; its writes may have created a record that waiting exceptions need.
        if (!this.stopped) {
          safely(this.options.log, 'exception fixes', () => this.exceptions.afterRun(run.id));
          safely(this.options.log, 'outbox events', () => this.outage.afterRun(this.runs.get(run.id)));
        }
        this.publishAudit(this.safeFlush());
        this.pump();
      });
    this.active.set(run.id, { flowId: run.flowId, control, done });
  }

  private compiled(mappingId: string, version: number): CompiledMapping {
    return this.compiledMappings.get(mappingId, version);
  }

  private safeFlush(): AuditEntry[] {
    try {
      return this.outbox.flush();
    } catch {
      return []; // stays in the outbox; the next flush or start writes it
    }
  }

  private publishAudit(entries: readonly AuditEntry[]): void {
    if (entries.length > 0) this.options.onAudit?.(entries);
  }

  private notifyIdle(): void {
    if (this.active.size > 0 || this.queue.length > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
