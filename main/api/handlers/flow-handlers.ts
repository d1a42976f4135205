import { ApiFailure } from '../../../shared/contract/result.js';
import type { Connection } from '../../../shared/domain/connection.js';
import type { Flow, FlowDefinition } from '../../../shared/domain/flow.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { cronProblem } from '../../engine/scheduler/flow-scheduler.js';
import { FlowsRepo } from '../../engine/store/flows-repo.js';
import { MappingsRepo } from '../../engine/store/mappings-repo.js';
import { callEngine, notifyFlowsChanged } from './engine-call.js';

type FlowHandlers = {
  readonly 'flows.list': Handler<'flows.list'>;
  readonly 'flows.get': Handler<'flows.get'>;
  readonly 'flows.create': Handler<'flows.create'>;
  readonly 'flows.update': Handler<'flows.update'>;
  readonly 'flows.delete': Handler<'flows.delete'>;
  readonly 'flows.setEnabled': Handler<'flows.setEnabled'>;
  readonly 'flows.runNow': Handler<'flows.runNow'>;
  readonly 'flows.backfill': Handler<'flows.backfill'>;
};

const SOURCE_KINDS: readonly Connection['kind'][] = ['odoo', 'fhir', 'webhook-in', 'csv-drop'];
const TARGET_KINDS: readonly Connection['kind'][] = ['odoo', 'fhir', 'webhook-out'];
const REALTIME_KINDS: readonly Connection['kind'][] = ['fhir', 'webhook-in'];

export function flowHandlers(services: Services): FlowHandlers {
  const flows = new FlowsRepo(services.store.db);
  const mappings = new MappingsRepo(services.store.db);
  const { connections, engine, events } = services;

  function existing(id: string): Flow {
    const flow = flows.get(id);
    if (!flow) throw new ApiFailure('not-found', 'That flow does not exist (it may have been deleted).');
    return flow;
  }

  /** Everything a flow refers to must exist and fit, before it is saved, not when it first runs. */
  function check(definition: FlowDefinition, ownId: string | null): void {
    const takenBy = flows.idByName(definition.name);
    if (takenBy !== null && takenBy !== ownId)
      throw new ApiFailure('conflict', `A flow named "${definition.name}" already exists.`);
    const source = connections.get(definition.sourceConnectionId);
    const target = connections.get(definition.targetConnectionId);
    if (!source) throw new ApiFailure('invalid-input', 'sourceConnectionId: no such connection');
    if (!target) throw new ApiFailure('invalid-input', 'targetConnectionId: no such connection');
    if (!SOURCE_KINDS.includes(source.kind))
      throw new ApiFailure(
        'invalid-input',
        `sourceConnectionId: a ${source.kind} connection cannot be a flow source`,
      );
    if (!TARGET_KINDS.includes(target.kind))
      throw new ApiFailure(
        'invalid-input',
        `targetConnectionId: a ${target.kind} connection cannot be a flow target`,
      );
    if (!mappings.get(definition.mappingId))
      throw new ApiFailure('invalid-input', 'mappingId: no such mapping');
    const schedule = definition.schedule;
    if (schedule.kind === 'cron') {
      const problem = cronProblem(schedule.expression, schedule.timezone);
      if (problem !== null) throw new ApiFailure('invalid-input', `schedule.expression: ${problem}`);
    }
    if (schedule.kind === 'realtime' && !REALTIME_KINDS.includes(source.kind)) {
      throw new ApiFailure(
        'invalid-input',
        'schedule: only webhook and FHIR sources can push changes in real time',
      );
    }
  }

  function changed(id: string, change: 'created' | 'updated' | 'deleted' | 'enabled' | 'disabled'): void {
    events.publish({ type: 'flows.changed', id, change });
    notifyFlowsChanged(engine);
  }

  return {
    'flows.list': () => flows.list(),
    'flows.get': (input) => existing(input.id),
    'flows.create': (input, call) => {
      check(input, null);
      const created = flows.insert(input, call.operator?.username ?? 'unknown');
      call.audit.target = created.id;
      changed(created.id, 'created');
      return created;
    },
    'flows.update': (input, call) => {
      existing(input.id);
      check(input.definition, input.id);
      const updated = flows.update(input.id, input.definition, call.operator?.username ?? 'unknown');
      if (!updated) throw new ApiFailure('not-found', 'That flow was deleted meanwhile.');
      changed(updated.id, 'updated');
      return updated;
    },
    'flows.delete': (input) => {
      const flow = existing(input.id);
      if (flow.state === 'running' || flow.state === 'paused') {
        throw new ApiFailure('conflict', 'The flow has a run in progress: cancel it first.');
      }
      flows.delete(flow.id);
      changed(flow.id, 'deleted');
      return { id: flow.id };
    },
    'flows.setEnabled': (input, call) => {
      existing(input.id);
      const updated = flows.setEnabled(input.id, input.enabled, call.operator?.username ?? 'unknown');
      if (!updated) throw new ApiFailure('not-found', 'That flow was deleted meanwhile.');
      changed(updated.id, input.enabled ? 'enabled' : 'disabled');
      return updated;
    },
    'flows.runNow': async (input, call) => {
      existing(input.id);
      const run = await callEngine(engine, 'enqueue', {
        flowId: input.id,
        trigger: 'manual',
        requestedBy: call.operator?.username ?? 'unknown',
        backfillFrom: null,
      });
      call.audit.detail = { run: run.id };
      return run;
    },
    'flows.backfill': async (input, call) => {
      existing(input.id);
      const run = await callEngine(engine, 'enqueue', {
        flowId: input.id,
        trigger: 'backfill',
        requestedBy: call.operator?.username ?? 'unknown',
        backfillFrom: new Date(input.from).toISOString(),
      });
      call.audit.detail = { run: run.id, from: input.from };
      return run;
    },
  };
}
