import { ApiFailure } from '../../../shared/contract/result.js';
import type { ReconcileReport, ReconcileStatus } from '../../../shared/domain/flow-reconcile.js';
import { Reconciler } from '../../engine/reconcile/reconciler.js';
import { ReconcileStore } from '../../engine/reconcile/reconcile-store.js';
import { EngineRequestError } from '../../engine/runner/engine-errors.js';
import { FlowsRepo } from '../../engine/store/flows-repo.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type ReconcileHandlers = {
  readonly 'reconcile.run': Handler<'reconcile.run'>;
  readonly 'reconcile.status': Handler<'reconcile.status'>;
  readonly 'reconcile.report': Handler<'reconcile.report'>;
};

/**
 * Reconciliation (issue 12, item 1). An on-demand reconciliation runs here, on the serving side,
 * with the vault's secrets (like Test connection): it reads Odoo and the source, never writes them;
 * what it records (run, periods, differences, exceptions) is one transaction of the store. The
 * scheduled ones run in the engine worker (main/engine/reconcile/reconcile-scheduler.ts). The
 * dispatcher audits each call; the detail says which flow and what was found.
 */
export function reconcileHandlers(services: Services): ReconcileHandlers {
  const db = services.store.db;
  const flows = new FlowsRepo(db);
  const store = new ReconcileStore(db);
  const reconciler = new Reconciler({
    db,
    secrets: services.vault,
    emit: (event) => services.events.publish(event),
    log: (message) => services.logger.info({}, message),
  });

  function statusOf(flowId: string): ReconcileStatus | null {
    const flow = flows.get(flowId);
    if (flow?.reconcile === undefined) return null;
    const lastRun = store.lastRun(flow.id);
    return {
      flowId: flow.id,
      flowName: flow.name,
      period: flow.reconcile.period,
      schedule: flow.reconcile.schedule ?? null,
      lastRun,
      lastCheckedAt: lastRun?.finishedAt ?? null,
      periodsBalanced: lastRun?.periodsBalanced ?? 0,
      periodsDiffering: lastRun === null ? 0 : lastRun.periods - lastRun.periodsBalanced,
      openDifferences: store.openDifferences(flow.id),
    };
  }

  return {
    'reconcile.run': async (input, call) => {
      call.audit.target = input.flowId;
      try {
        const run = await reconciler.run({
          flowId: input.flowId,
          trigger: 'manual',
          requestedBy: call.operator?.username ?? 'unknown',
        });
        call.audit.detail = {
          flow: input.flowId,
          run: run.id,
          state: run.state,
          periods: run.periods,
          periodsBalanced: run.periodsBalanced,
          differences: run.differencesFound,
          newDifferences: run.differencesNew,
          ...(run.error === null ? {} : { error: run.error }),
        };
        return run;
      } catch (error) {
        if (error instanceof EngineRequestError) throw new ApiFailure(error.code, error.message);
        throw error;
      }
    },
    'reconcile.status': (input) => {
      const ids = input.flowId === undefined ? flows.list().map((flow) => flow.id) : [input.flowId];
      return ids.flatMap((id) => statusOf(id) ?? []);
    },
    'reconcile.report': (input): ReconcileReport => {
      const flow = flows.get(input.flowId);
      if (flow === null) throw new ApiFailure('not-found', 'That flow does not exist.');
      const run = store.lastRun(flow.id);
      return {
        flowId: flow.id,
        flowName: flow.name,
        run,
        periods: run === null ? [] : store.periods(run.id),
        differences: run === null ? [] : store.differences(run.id),
      };
    },
  };
}
