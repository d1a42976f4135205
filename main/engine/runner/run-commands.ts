import type { Run } from '../../../shared/domain/run.js';
import type { RunControl } from '../pipeline/run-control.js';
import type { RunsRepo } from '../store/runs-repo.js';
import { EngineRequestError } from './engine-errors.js';
import type { RunSupervision } from './run-supervision.js';

export interface RunCommandsDeps {
  readonly runs: RunsRepo;
  readonly supervision: RunSupervision;
  /** The control of a run this engine runs now, or null. */
  readonly running: (runId: string) => RunControl | null;
  /** Drops a run from this engine's queue (cancelled before it started). */
  readonly unqueue: (runId: string) => void;
  readonly supervise: () => void;
}

/** Pause, resume and cancel of one run, answered from the runs table (what runs.list shows). */
export class RunCommands {
  constructor(private readonly deps: RunCommandsDeps) {}

  pause(runId: string): Run {
    const control = this.deps.running(runId);
    if (!control) throw this.notRunningHere(runId, 'Only a running run can be paused.');
    control.pause();
    this.deps.runs.setStatus(runId, 'paused');
    return this.runOrFail(runId);
  }

  resume(runId: string): Run {
    const control = this.deps.running(runId);
    if (!control) throw this.notRunningHere(runId, 'That run is not paused.');
    control.resume();
    this.deps.runs.setStatus(runId, 'running');
    return this.runOrFail(runId);
  }

  /**
   * Cancels a run whatever engine queued it: a finished run is refused as finished; a queued one, or
   * one left running by an engine that is gone, is cancelled at once; a run this engine runs stops
   * after its current batch. Only a run that another live console process is running is refused,
   * naming that process.
   */
  cancel(runId: string): Run {
    const control = this.deps.running(runId);
    if (control) {
      control.cancel();
      return this.runOrFail(runId);
    }
    this.deps.supervision.cancelNotRunningHere(this.runOrFail(runId));
    this.deps.unqueue(runId);
    return this.runOrFail(runId);
  }

  /** Why a run this engine does not run cannot be paused or resumed here, as the table tells it. */
  private notRunningHere(runId: string, fallback: string): EngineRequestError {
    // A run the table still shows running may have lost its engine: settle that first, so the
    // answer matches what runs.list shows next.
    this.deps.supervise();
    return this.deps.supervision.refusal(this.runOrFail(runId), fallback);
  }

  private runOrFail(runId: string): Run {
    const run = this.deps.runs.get(runId);
    if (!run) throw new EngineRequestError('not-found', 'That run does not exist.');
    return run;
  }
}
