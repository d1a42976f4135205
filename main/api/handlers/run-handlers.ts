import { ApiFailure } from '../../../shared/contract/result.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { LineageRepo } from '../../engine/store/lineage-repo.js';
import { RunsRepo } from '../../engine/store/runs-repo.js';
import { callEngine } from './engine-call.js';

type RunHandlers = {
  readonly 'runs.list': Handler<'runs.list'>;
  readonly 'runs.get': Handler<'runs.get'>;
  readonly 'runs.failures': Handler<'runs.failures'>;
  readonly 'runs.pause': Handler<'runs.pause'>;
  readonly 'runs.resume': Handler<'runs.resume'>;
  readonly 'runs.cancel': Handler<'runs.cancel'>;
  readonly 'lineage.bySource': Handler<'lineage.bySource'>;
  readonly 'lineage.byTarget': Handler<'lineage.byTarget'>;
};

/** Runs (read here, controlled in the engine worker) and lineage queries. */
export function runHandlers(services: Services): RunHandlers {
  const runs = new RunsRepo(services.store.db);
  const lineage = new LineageRepo(services.store.db);
  const { engine } = services;

  function existing(id: string) {
    const run = runs.get(id);
    if (!run) throw new ApiFailure('not-found', 'That run does not exist.');
    return run;
  }

  return {
    'runs.list': (input) => runs.list(input.flowId, input.limit),
    'runs.get': (input) => existing(input.id),
    'runs.failures': (input, call) => {
      existing(input.id);
      call.audit.target = input.id;
      return runs.failures(input.id, input.afterId, input.limit);
    },
    'runs.pause': (input) => callEngine(engine, 'pause', { runId: existing(input.id).id }),
    'runs.resume': (input) => callEngine(engine, 'resume', { runId: existing(input.id).id }),
    'runs.cancel': (input) => callEngine(engine, 'cancel', { runId: existing(input.id).id }),
    'lineage.bySource': (input, call) => {
      call.audit.target = input.sourceId;
      return lineage.bySource(input.sourceId, input);
    },
    'lineage.byTarget': (input, call) => {
      call.audit.target = `${input.targetModel}:${input.targetKey ?? input.targetId ?? ''}`;
      return lineage.byTarget(input.targetModel, input);
    },
  };
}
