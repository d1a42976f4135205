import { ApiFailure } from '../../../shared/contract/result.js';
import { PAYLOAD_READERS } from '../../../shared/contract/ops/common.js';
import type { ShadowFieldDiff, ShadowReport } from '../../../shared/domain/shadow.js';
import { ShadowStore } from '../../engine/shadow/shadow-store.js';
import { MappingsRepo } from '../../engine/store/mappings-repo.js';
import type { Handler, HandlerCall } from '../handler-types.js';
import type { Services } from '../services.js';
import { callEngine } from './engine-call.js';

type ShadowHandlers = {
  readonly 'shadow.start': Handler<'shadow.start'>;
  readonly 'shadow.list': Handler<'shadow.list'>;
  readonly 'shadow.report': Handler<'shadow.report'>;
  readonly 'shadow.gate': Handler<'shadow.gate'>;
  readonly 'shadow.setGate': Handler<'shadow.setGate'>;
};

/** Values may be patient data: roles that do not read payloads see paths and verdicts only. */
function withoutValues(diff: ShadowFieldDiff): ShadowFieldDiff {
  return { path: diff.path, active: null, shadow: null };
}

function readsPayloads(call: HandlerCall): boolean {
  return call.operator?.roles.some((role) => PAYLOAD_READERS.includes(role)) ?? false;
}

/**
 * Shadow runs (issue 12, item 3). A run is started in the engine worker (which maps and talks to
 * the peers) and carried on there; reports are read from the store. The dispatcher audits each
 * call; the detail names the flow, the version and the window, never a value.
 */
export function shadowHandlers(services: Services): ShadowHandlers {
  const store = new ShadowStore(services.store.db);
  const mappings = new MappingsRepo(services.store.db);

  function mappingExists(id: string): void {
    if (mappings.get(id) === null) throw new ApiFailure('not-found', 'That mapping does not exist.');
  }

  return {
    'shadow.start': async (input, call) => {
      const run = await callEngine(services.engine, 'shadowRun', {
        flowId: input.flowId,
        version: input.version,
        since: input.since,
        limit: input.limit,
        requestedBy: call.operator?.username ?? 'unknown',
      });
      call.audit.target = run.id;
      call.audit.detail = {
        flow: run.flowId,
        mapping: run.mappingId,
        version: run.version,
        window: run.window,
      };
      return run;
    },
    'shadow.list': (input) =>
      store.list({ flowId: input.flowId ?? null, mappingId: input.mappingId ?? null, limit: input.limit }),
    'shadow.report': (input, call): ShadowReport => {
      const run = store.get(input.id);
      if (run === null) throw new ApiFailure('not-found', 'That shadow run does not exist.');
      const valuesShown = readsPayloads(call);
      const records = store.records(input.id);
      return {
        run,
        valuesShown,
        records: valuesShown
          ? records
          : records.map((record) => ({ ...record, diffs: record.diffs?.map(withoutValues) ?? null })),
      };
    },
    'shadow.gate': (input) => {
      mappingExists(input.mappingId);
      return store.gate(input.mappingId);
    },
    'shadow.setGate': (input, call) => {
      mappingExists(input.mappingId);
      const before = store.periodsRequired(input.mappingId);
      store.setPeriodsRequired(
        input.mappingId,
        input.shadowPeriodsRequired,
        call.operator?.username ?? 'unknown',
        new Date(),
      );
      call.audit.target = input.mappingId;
      call.audit.detail = { from: before, to: input.shadowPeriodsRequired };
      return store.gate(input.mappingId);
    },
  };
}
