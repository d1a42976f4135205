import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { ReplayStarted } from '../../../shared/domain/exception.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run } from '../../../shared/domain/run.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import type { FlowsRepo } from '../store/flows-repo.js';
import type { MappingsRepo } from '../store/mappings-repo.js';
import type { AutoRetryPolicy } from '../store/retry-policy.js';
import type { RunsRepo } from '../store/runs-repo.js';
import { ExceptionFixes } from './exception-fixes.js';
import { ReplayRuns } from './replay-runs.js';

export interface ExceptionWorkDeps {
  readonly db: Database.Database;
  readonly flows: FlowsRepo;
  readonly runs: RunsRepo;
  readonly mappings: MappingsRepo;
  readonly compiled: (mappingId: string, version: number) => CompiledMapping;
  readonly queue: (run: Run) => void;
  readonly heldFor: (flow: Flow) => string | null;
  readonly policyFor: (flowId: string) => AutoRetryPolicy;
  readonly referenceBackoff?: AutoRetryPolicy;
  readonly emit: (event: LiveEvent) => void;
  readonly flushAudit: () => void;
}

/**
 * Everything the engine does for the exceptions inbox, in one place for EngineCore: retries and
 * edit-and-replay (ReplayRuns), the automatic retry tick, and one-click fixes (ExceptionFixes),
 * which replay through the same retry path.
 */
export class ExceptionWork {
  private readonly replays: ReplayRuns;
  private readonly fixes: ExceptionFixes;

  constructor(private readonly deps: ExceptionWorkDeps) {
    const now = (): Date => new Date();
    this.replays = new ReplayRuns({
      db: deps.db,
      flows: deps.flows,
      runs: deps.runs,
      mappings: deps.mappings,
      compiled: deps.compiled,
      queue: deps.queue,
      heldFor: deps.heldFor,
      policyFor: deps.policyFor,
      now,
    });
    this.fixes = new ExceptionFixes({
      db: deps.db,
      flows: deps.flows,
      runs: deps.runs,
      mappings: deps.mappings,
      retry: (ids, requestedBy) => this.replays.retry(ids, requestedBy),
      emit: deps.emit,
      flushAudit: deps.flushAudit,
      ...(deps.referenceBackoff === undefined ? {} : { referenceBackoff: deps.referenceBackoff }),
      now,
    });
  }

  retry(exceptionIds: readonly string[], requestedBy: string): ReplayStarted {
    return this.replays.retry(exceptionIds, requestedBy);
  }

  replayEdited(exceptionId: string, sourcePayload: unknown, requestedBy: string): Promise<ReplayStarted> {
    return this.replays.replayEdited(exceptionId, sourcePayload, requestedBy);
  }

  /** The automatic retry tick: due transient retries, then fixes that became due. */
  retryDue(): Run[] {
    const runs = this.replays.retryDue();
    this.fixes.sweep();
    return runs;
  }

  /** Fixes whose mapping became active, whose backoff passed, or that finished. */
  applyFixes(): void {
    this.fixes.sweep();
  }

  /** A run finished: its fixes may be done, and its writes may unblock exceptions awaiting a record. */
  afterRun(runId: string): void {
    const run = this.deps.runs.get(runId);
    if (run !== null) this.fixes.afterRun(run);
  }
}
