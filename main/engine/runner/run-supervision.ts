import type Database from 'better-sqlite3';
import { FINISHED_RUN_STATUSES, type Run } from '../../../shared/domain/run.js';
import type { FlowsRepo } from '../store/flows-repo.js';
import type { MappingsRepo } from '../store/mappings-repo.js';
import type { RunsRepo } from '../store/runs-repo.js';
import { EngineRequestError } from './engine-errors.js';
import { ownerPid, type FlowLeases } from './flow-leases.js';

export interface RunSupervisionDeps {
  readonly db: Database.Database;
  readonly runs: RunsRepo;
  readonly flows: FlowsRepo;
  readonly mappings: MappingsRepo;
  readonly leases: FlowLeases;
  /** Whether this engine already has the run (queued or running). */
  readonly isTracked: (runId: string) => boolean;
  readonly log: (message: string) => void;
}

const REPLAY_STOPPED =
  'The engine stopped during this replay; the exceptions it did not settle stay in the inbox to retry.';
const RESUMES = 'The engine stopped during this run; it resumes from the last durable batch.';
const CANNOT_RESUME =
  'The engine stopped during this run; it cannot resume because its flow or its active mapping is gone.';

/**
 * Finds the unfinished runs (per the runs table) that no live engine is running, so that none can
 * stay "running" or "queued" with nobody working on it: a run whose engine died (its process ended,
 * its pid went to another process, or its lease expired without renewal) is marked interrupted and
 * resumed, and a queued run nobody holds is handed to this engine's queue. Runs whose flow a live
 * engine holds are left alone: they are that engine's.
 */
export class RunSupervision {
  constructor(private readonly deps: RunSupervisionDeps) {}

  /** One pass over the unfinished runs: what this engine should queue now. */
  sweep(): { queued: Run[]; resumed: Run[] } {
    const queued: Run[] = [];
    const resumed: Run[] = [];
    for (const run of this.deps.runs.unfinished()) {
      if (this.deps.isTracked(run.id)) continue;
      if (this.deps.leases.heldByOther(run.flowId) !== null) continue;
      if (run.status === 'queued') {
        queued.push(run);
        continue;
      }
      const resume = this.interrupt(run);
      if (resume !== null) resumed.push(resume);
    }
    return { queued, resumed };
  }

  /**
   * Cancels a run that this engine does not run, answering from the runs table (what runs.list
   * shows): a finished run is refused as finished; a queued one (whatever engine queued it), or one
   * left running by an engine that is gone, is cancelled for good (no resume). Only a run another
   * live console process is running is refused, naming that process.
   */
  cancelNotRunningHere(run: Run): void {
    if (FINISHED_RUN_STATUSES.includes(run.status)) {
      throw new EngineRequestError('conflict', 'That run has already finished.');
    }
    const other = run.status === 'queued' ? null : this.deps.leases.heldByOther(run.flowId);
    if (other !== null) {
      throw new EngineRequestError(
        'conflict',
        `Console process ${ownerPid(other.owner)} is running this run; cancel it there.`,
      );
    }
    this.deps.runs.finishUnfinished(
      run.id,
      'cancelled',
      run.status === 'queued' ? null : 'Cancelled after the engine that ran it had stopped.',
    );
  }

  /** Why a run this engine does not run cannot be paused or resumed here. */
  refusal(run: Run, fallback: string): EngineRequestError {
    if (FINISHED_RUN_STATUSES.includes(run.status)) {
      return new EngineRequestError('conflict', `${fallback} It has already finished (${run.status}).`);
    }
    const other = run.status === 'queued' ? null : this.deps.leases.heldByOther(run.flowId);
    if (other !== null) {
      return new EngineRequestError(
        'conflict',
        `Console process ${ownerPid(other.owner)} is running this run; control it there.`,
      );
    }
    return new EngineRequestError('conflict', fallback);
  }

  /**
   * Marks a run left behind as interrupted and queues its resume in the same transaction: a crash
   * between the two must not leave an interrupted run with nothing to resume it. A run already
   * waiting for the flow (not a backfill) reads from the flow's cursor when it starts, so it is the
   * resume; otherwise a 'resume' run is created.
   */
  private interrupt(run: Run): Run | null {
    const { runs, flows, mappings } = this.deps;
    const flow = flows.get(run.flowId);
    const mapping = flow === null ? null : mappings.activeVersion(flow.mappingId);
    // IMMEDIATE: it reads and then writes; a deferred transaction upgrading its lock while another
    // connection writes fails at once with "database is locked" instead of waiting busy_timeout.
    const resume = this.deps.db
      .transaction((): Run | null => {
        let why = flow && mapping ? RESUMES : CANNOT_RESUME;
        if (run.trigger === 'replay') why = REPLAY_STOPPED;
        if (!runs.finishUnfinished(run.id, 'interrupted', why)) {
          return null;
        }
        // A replay is not resumed: its unsettled exceptions stay in the inbox (transient ones are
        // picked again by the automatic retry), and a resume run would read the source instead.
        if (flow === null || !mapping || run.trigger === 'replay') return null;
        return (
          runs.queuedFor(flow.id) ??
          runs.create({
            flowId: flow.id,
            trigger: 'resume',
            requestedBy: 'engine',
            mappingId: flow.mappingId,
            mappingVersion: mapping.version,
            cursorBefore: flow.cursor,
            backfillFrom: null,
          })
        );
      })
      .immediate();
    this.deps.log(
      resume === null
        ? `run ${run.id} was left ${run.status} by an engine that stopped; marked interrupted`
        : `run ${run.id} was left ${run.status} by an engine that stopped; marked interrupted, resumed by ${resume.id}`,
    );
    return resume;
  }
}
