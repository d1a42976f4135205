import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { Run, RunTrigger } from '../../../shared/domain/run.js';
import type { Source, Target } from '../../connectors/types.js';
import { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { Store } from '../../store/types.js';
import type { SecretReader } from '../../vault/types.js';
import { backfillCursor, type Endpoint } from '../connectors/flow-endpoints.js';
import { compileMapping, type CompiledMapping } from '../mapping/compile-mapping.js';
import { RunControl } from '../pipeline/run-control.js';
import { createAuditOutbox } from '../store/audit-outbox.js';
import { createBatchCommitter } from '../store/batch-commit.js';
import { FlowsRepo } from '../store/flows-repo.js';
import { MappingsRepo } from '../store/mappings-repo.js';
import { RunsRepo } from '../store/runs-repo.js';
import { EngineRequestError } from './engine-errors.js';
import { executeRun } from './execute-run.js';
import { deadOwners, newOwnerId } from './lease-owner.js';

export interface EngineCoreOptions {
  readonly store: Store;
  readonly secrets: SecretReader;
  readonly emit: (event: LiveEvent) => void;
  /** Audit rows the engine appended (the serving side republishes them as live events). */
  readonly onAudit?: (entries: readonly AuditEntry[]) => void;
  readonly ownerId?: string;
  readonly maxConcurrentRuns?: number;
  readonly leaseMs?: number;
  readonly retryDelaysMs?: readonly number[];
  readonly onBatchCommitted?: (runId: string, batchNo: number) => void;
  readonly endpoints?: {
    source?: (connectionId: string) => Endpoint<Source>;
    target?: (connectionId: string) => Endpoint<Target>;
  };
}

export interface EnqueueRequest {
  readonly flowId: string;
  readonly trigger: RunTrigger;
  readonly requestedBy: string;
  readonly backfillFrom?: string | null;
}

/**
 * The engine proper: a queue of runs (one at a time per flow, a few flows at once), their pause /
 * resume / cancel controls, crash recovery at start, and the audit outbox. It runs inside the
 * engine worker; tests and the CLI may run it in process.
 */
export class EngineCore {
  readonly ownerId: string;
  private readonly db: Database.Database;
  private readonly flows: FlowsRepo;
  private readonly runs: RunsRepo;
  private readonly mappings: MappingsRepo;
  private readonly connections: ConnectionsRepo;
  private readonly commitBatch;
  private readonly outbox;
  private readonly writtenHashQuery;
  private readonly compiledCache = new Map<string, CompiledMapping>();
  private readonly queue: string[] = [];
  private readonly active = new Map<string, { flowId: string; control: RunControl; done: Promise<void> }>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly options: EngineCoreOptions) {
    this.ownerId = options.ownerId ?? newOwnerId();
    this.db = options.store.db;
    this.flows = new FlowsRepo(this.db);
    this.runs = new RunsRepo(this.db);
    this.mappings = new MappingsRepo(this.db);
    this.connections = new ConnectionsRepo(this.db);
    this.commitBatch = createBatchCommitter(this.db);
    this.outbox = createAuditOutbox(this.db, options.store.audit);
    this.writtenHashQuery = this.db.prepare<
      [string, string],
      { target_key: string; payload_hash: string; target_id: string }
    >(
      'SELECT target_key, payload_hash, target_id FROM target_state WHERE flow_id = ? AND target_key IN (SELECT value FROM json_each(?))',
    );
  }

  /**
   * Recovery: audit rows owed from before a crash are written, and runs left running by an engine
   * that is gone are marked interrupted and resumed from their flow's last committed cursor.
   */
  recover(): Run[] {
    this.publishAudit(this.outbox.recover());
    const dead = new Set(deadOwners(this.flows.leaseOwners(), this.ownerId));
    const resumed: Run[] = [];
    for (const run of this.runs.unfinished()) {
      if (this.active.has(run.id) || this.queue.includes(run.id)) continue;
      const owner = this.leaseOwnerOf(run.flowId);
      if (owner !== null && !dead.has(owner) && owner !== this.ownerId) continue; // a live engine has it
      if (run.status === 'queued') {
        this.queue.push(run.id);
        continue;
      }
      this.runs.finish(
        run.id,
        'interrupted',
        'The engine stopped during this run; it resumes from the last durable batch.',
      );
      const resume = this.tryEnqueue({ flowId: run.flowId, trigger: 'resume', requestedBy: 'engine' });
      if (resume) resumed.push(resume);
    }
    this.pump();
    return resumed;
  }

  enqueue(request: EnqueueRequest): Run {
    if (this.stopped) throw new EngineRequestError('unavailable', 'The engine is shutting down.');
    const flow = this.flows.get(request.flowId);
    if (!flow) throw new EngineRequestError('not-found', 'That flow does not exist.');
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
        .find((run) => run?.flowId === flow.id && run.backfillFrom === null);
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
    this.queue.push(run.id);
    queueMicrotask(() => this.pump());
    return run;
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
    const entry = this.active.get(runId);
    if (!entry) throw new EngineRequestError('conflict', 'Only a running run can be paused.');
    entry.control.pause();
    this.runs.setStatus(runId, 'paused');
    return this.runOrFail(runId);
  }

  resume(runId: string): Run {
    const entry = this.active.get(runId);
    if (!entry) throw new EngineRequestError('conflict', 'That run is not paused.');
    entry.control.resume();
    this.runs.setStatus(runId, 'running');
    return this.runOrFail(runId);
  }

  cancel(runId: string): Run {
    const queued = this.queue.indexOf(runId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.runs.finish(runId, 'cancelled', null);
      this.notifyIdle();
      return this.runOrFail(runId);
    }
    const entry = this.active.get(runId);
    if (!entry) throw new EngineRequestError('conflict', 'That run has already finished.');
    entry.control.cancel();
    return this.runOrFail(runId);
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
    this.queue.length = 0;
    for (const entry of this.active.values()) entry.control.abortNow();
    await Promise.all([...this.active.values()].map((entry) => entry.done));
  }

  private pump(): void {
    const limit = this.options.maxConcurrentRuns ?? 2;
    for (let index = 0; index < this.queue.length && this.active.size < limit && !this.stopped;) {
      const runId = this.queue[index];
      const run = runId === undefined ? null : this.runs.get(runId);
      if (!run) {
        this.queue.splice(index, 1);
        continue;
      }
      if ([...this.active.values()].some((entry) => entry.flowId === run.flowId)) {
        index += 1; // one run per flow at a time, in queue order
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
      leaseMs: this.options.leaseMs ?? 60_000,
      deadOwners: () => deadOwners(this.flows.leaseOwners(), this.ownerId),
      commitBatch: (context, batch) => {
        this.commitBatch(context, batch);
        this.publishAudit(this.outbox.flush());
      },
      writtenHashes: (flowId, keys) =>
        new Map(
          this.writtenHashQuery
            .all(flowId, JSON.stringify(keys))
            .map((row) => [row.target_key, row.payload_hash]),
        ),
      knownTargetIds: (flowId, keys) =>
        new Map(
          this.writtenHashQuery
            .all(flowId, JSON.stringify(keys))
            .map((row) => [row.target_key, row.target_id]),
        ),
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
        this.publishAudit(this.safeFlush());
        this.pump();
      });
    this.active.set(run.id, { flowId: run.flowId, control, done });
  }

  private compiled(mappingId: string, version: number): CompiledMapping {
    const cacheKey = `${mappingId}@${version}`;
    let compiled = this.compiledCache.get(cacheKey);
    if (!compiled) {
      const found = this.mappings.version(mappingId, version);
      if (!found) throw new EngineRequestError('not-found', `Mapping version ${cacheKey} does not exist.`);
      compiled = compileMapping(found.spec);
      this.compiledCache.set(cacheKey, compiled);
    }
    return compiled;
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

  private leaseOwnerOf(flowId: string): string | null {
    const row = this.db
      .prepare<[string], { lease_owner: string | null }>('SELECT lease_owner FROM flows WHERE id = ?')
      .get(flowId);
    return row?.lease_owner ?? null;
  }

  private runOrFail(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw new EngineRequestError('not-found', 'That run does not exist.');
    return run;
  }

  private notifyIdle(): void {
    if (this.active.size > 0 || this.queue.length > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
