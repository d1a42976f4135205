import { Cron } from 'croner';
import type { Flow } from '../../../shared/domain/flow.js';

export interface ReconcileSchedulerDeps {
  readonly flows: () => readonly Flow[];
  /** Starts one scheduled reconciliation; its own failures are recorded on its run, not thrown. */
  readonly reconcile: (flowId: string) => Promise<unknown>;
  readonly log?: (message: string) => void;
}

/**
 * Scheduled reconciliations (issue 12): one croner job per enabled flow whose `reconcile.schedule`
 * names a cron expression, following the stored flows on `reload()` (the engine host calls it
 * with every flow change). A job still running when it fires again is skipped (croner's protect),
 * and a reconciliation of the flow already running elsewhere is refused by the store, not doubled.
 */
export class ReconcileScheduler {
  private readonly jobs = new Map<string, { expression: string; job: Cron }>();

  constructor(private readonly deps: ReconcileSchedulerDeps) {}

  start(): void {
    this.reload();
  }

  reload(): void {
    const wanted = new Map<string, string>();
    for (const flow of this.deps.flows())
      if (flow.enabled && flow.reconcile?.schedule !== undefined)
        wanted.set(flow.id, flow.reconcile.schedule);
    for (const [flowId, current] of this.jobs) {
      if (wanted.get(flowId) === current.expression) continue;
      current.job.stop();
      this.jobs.delete(flowId);
    }
    for (const [flowId, expression] of wanted) {
      if (this.jobs.has(flowId)) continue;
      try {
        const job = new Cron(expression, { protect: true, unref: true }, async () => {
          await this.deps.reconcile(flowId).catch((error: unknown) => {
            this.deps.log?.(
              `scheduled reconciliation of ${flowId} did not run: ${error instanceof Error ? error.message : String(error)}`,
            );
          });
        });
        this.jobs.set(flowId, { expression, job });
      } catch {
        // An expression croner refuses does not schedule; the flow is still reconciled on demand.
      }
    }
  }

  nextRuns(): Map<string, Date | null> {
    return new Map([...this.jobs].map(([flowId, entry]) => [flowId, entry.job.nextRun()]));
  }

  stop(): void {
    for (const entry of this.jobs.values()) entry.job.stop();
    this.jobs.clear();
  }
}
