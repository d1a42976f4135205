import { ApiFailure } from '../../../shared/contract/result.js';
import type { Connection } from '../../../shared/domain/connection.js';
import { DegradedModes } from '../../engine/outbox/degraded-modes.js';
import { downtimeProcedure } from '../../engine/outbox/downtime-procedure.js';
import { OutageViews } from '../../engine/outbox/outage-views.js';
import { OutboxListing } from '../../engine/outbox/outbox-listing.js';
import { FlowsRepo } from '../../engine/store/flows-repo.js';
import type { Handler, HandlerCall } from '../handler-types.js';
import type { Services } from '../services.js';

type OutageHandlers = {
  readonly 'outages.overview': Handler<'outages.overview'>;
  readonly 'outages.degrade': Handler<'outages.degrade'>;
  readonly 'outages.restore': Handler<'outages.restore'>;
  readonly 'outages.procedure': Handler<'outages.procedure'>;
  readonly 'outbox.list': Handler<'outbox.list'>;
};

/**
 * Outage operations (issue 11): degraded mode is written here, on the serving side; the engine reads
 * it before each chunk it would send, so switching it on needs no engine call. Switching it off asks
 * the engine to drain the outbox now; a stopped engine drains at its next start anyway.
 */
export function outageHandlers(services: Services): OutageHandlers {
  const db = services.store.db;
  const views = new OutageViews(db);
  const degraded = new DegradedModes(db);
  const listing = new OutboxListing(db);
  const flows = new FlowsRepo(db);
  const { events } = services;

  function connection(id: string): Connection {
    const found = services.connections.get(id);
    if (!found)
      throw new ApiFailure('not-found', 'That connection does not exist (it may have been deleted).');
    return found;
  }

  function operatorId(call: HandlerCall): string {
    return call.operator?.username ?? 'unknown';
  }

  /** The drain the engine queued; an engine that cannot answer now drains at its next start. */
  async function requestDrain(connectionId: string, requestedBy: string): Promise<readonly string[]> {
    try {
      const { runIds } = await services.engine.call('drainOutbox', {
        connectionId,
        flowId: null,
        requestedBy,
      });
      return runIds;
    } catch (error) {
      services.logger.warn(
        { connectionId, err: error instanceof Error ? error.message : String(error) },
        'degraded mode switched off; the engine drains the outbox at its next start',
      );
      return [];
    }
  }

  return {
    'outages.overview': () => views.overview(),
    'outages.degrade': (input, call) => {
      const target = connection(input.connectionId);
      const mode = degraded.switchOn(target.id, input.reason, operatorId(call));
      call.audit.target = target.id;
      call.audit.detail = { connection: target.name, reason: input.reason, since: mode.since };
      events.publish({ type: 'outages.changed', change: 'degraded', connectionId: target.id, flowId: null });
      return mode;
    },
    'outages.restore': async (input, call) => {
      const target = connection(input.connectionId);
      const was = degraded.get(target.id);
      if (was === null || !degraded.switchOff(target.id))
        throw new ApiFailure('conflict', `${target.name} is not in degraded mode.`);
      call.audit.target = target.id;
      events.publish({ type: 'outages.changed', change: 'restored', connectionId: target.id, flowId: null });
      const drainRunIds = await requestDrain(target.id, operatorId(call));
      call.audit.detail = {
        connection: target.name,
        degradedSince: was.since,
        reason: was.reason,
        ...(input.note === undefined ? {} : { note: input.note }),
        drainRunIds: [...drainRunIds],
      };
      return { connectionId: target.id, drainRunIds };
    },
    'outages.procedure': () => {
      const now = new Date();
      return downtimeProcedure(views.overview(now), now);
    },
    'outbox.list': (input, call) => {
      if (!flows.get(input.flowId))
        throw new ApiFailure('not-found', 'That flow does not exist (it may have been deleted).');
      // Payloads are read, not written: the row names the flow, never a payload.
      call.audit.target = input.flowId;
      return listing.list(input);
    },
  };
}
