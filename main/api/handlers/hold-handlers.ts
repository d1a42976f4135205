import { ApiFailure } from '../../../shared/contract/result.js';
import { AnomalyStore } from '../../engine/anomaly/anomaly-store.js';
import { HoldDecisions, type HoldDecision } from '../../engine/anomaly/hold-decisions.js';
import type { Handler, HandlerCall } from '../handler-types.js';
import type { Services } from '../services.js';

type HoldHandlers = {
  readonly 'holds.list': Handler<'holds.list'>;
  readonly 'holds.release': Handler<'holds.release'>;
  readonly 'holds.reject': Handler<'holds.reject'>;
};

/**
 * Anomaly holds (issue 12, item 2). A decision is written here, on the serving side (like degraded
 * mode); then the engine is asked to drain the flow: after a release the held writes go first, after
 * a rejection the writes that waited behind the hold do. A stopped engine drains at its next start.
 * The dispatcher audits each call; the detail says which hold, which flow, what and why.
 */
export function holdHandlers(services: Services): HoldHandlers {
  const db = services.store.db;
  const store = new AnomalyStore(db);
  const decisions = new HoldDecisions(db);
  const { events } = services;

  function operatorId(call: HandlerCall): string {
    return call.operator?.username ?? 'unknown';
  }

  function decided(result: HoldDecision): Extract<HoldDecision, { ok: true }> {
    if (result.ok) return result;
    if (result.why === 'not-found')
      throw new ApiFailure('not-found', 'That hold does not exist (the flow may have been deleted).');
    const by = result.hold?.decidedBy ?? 'someone';
    throw new ApiFailure('conflict', `That batch was ${result.hold?.state ?? 'decided'} already, by ${by}.`);
  }

  async function requestDrain(flowId: string, requestedBy: string): Promise<readonly string[]> {
    try {
      const { runIds } = await services.engine.call('drainOutbox', {
        connectionId: null,
        flowId,
        requestedBy,
      });
      return runIds;
    } catch (error) {
      services.logger.warn(
        { flowId, err: error instanceof Error ? error.message : String(error) },
        'hold decided; the engine drains the flow at its next start',
      );
      return [];
    }
  }

  return {
    'holds.list': (input) =>
      store.list({ state: input.state ?? null, flowId: input.flowId ?? null, limit: input.limit }),
    'holds.release': async (input, call) => {
      call.audit.target = input.id;
      const { hold, writes } = decided(decisions.release(input.id, operatorId(call), input.reason));
      events.publish({ type: 'holds.changed', change: 'released', holdId: hold.id, flowId: hold.flowId });
      const drainRunIds = await requestDrain(hold.flowId, operatorId(call));
      call.audit.detail = {
        flow: hold.flowId,
        run: hold.runId,
        explanation: hold.explanation,
        reason: input.reason,
        writes,
        drainRunIds: [...drainRunIds],
      };
      return { hold, drainRunIds };
    },
    'holds.reject': async (input, call) => {
      call.audit.target = input.id;
      const { hold, writes } = decided(decisions.reject(input.id, operatorId(call), input.reason));
      events.publish({ type: 'holds.changed', change: 'rejected', holdId: hold.id, flowId: hold.flowId });
      events.publish({ type: 'exceptions.changed', flowId: hold.flowId, ids: [], state: 'open' });
      const drainRunIds = await requestDrain(hold.flowId, operatorId(call));
      call.audit.detail = {
        flow: hold.flowId,
        run: hold.runId,
        explanation: hold.explanation,
        reason: input.reason,
        exceptions: writes,
        drainRunIds: [...drainRunIds],
      };
      return { hold, exceptions: writes };
    },
  };
}
