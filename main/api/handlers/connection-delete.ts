import { ApiFailure } from '../../../shared/contract/result.js';
import type { Connection } from '../../../shared/domain/connection.js';
import { describeUsages } from '../../../shared/domain/connection-usage.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { FlowsRepo } from '../../engine/store/flows-repo.js';
import { flowsUsingConnection } from './connection-usages.js';
import { notifyFlowsChanged } from './engine-call.js';

type Existing = (id: string) => Connection;

/** A connection flows use is kept, the refusal naming them: deleting it would fail every run they make. */
function refuseInUse(names: string, count: number): never {
  throw new ApiFailure(
    'conflict',
    `${count === 1 ? '1 flow uses' : `${count} flows use`} this connection: ${names}. ` +
      'Change those flows, or delete with "pause these flows" to disable them first.',
  );
}

/**
 * connections.delete (issue 14): refused while any flow (enabled or disabled) uses the connection,
 * unless the operator chose pauseFlows; then those flows are disabled and the connection deleted in
 * one transaction, so no flow is left enabled against a connection that is gone. A queued run of a
 * paused flow ends cleanly ("the flow's connection no longer exists"); a run in progress must be
 * cancelled first, as for deleting a flow.
 */
export function deleteConnectionHandler(
  services: Services,
  existing: Existing,
): Handler<'connections.delete'> {
  const { connections, vault, events, store } = services;
  const flowsRepo = new FlowsRepo(store.db);

  return async (input, call) => {
    const current = existing(input.id);
    const by = call.operator?.username ?? 'unknown';
    const { usages, flows } = flowsUsingConnection(store.db, current.id);
    const usedBy = usages.map((usage) => usage.flowName);
    Object.assign(call.audit, {
      target: current.id,
      detail: { name: current.name, kind: current.kind, usedBy },
    });
    if (usages.length > 0 && input.pauseFlows !== true) refuseInUse(describeUsages(usages), usages.length);
    const busy = flows.filter((flow) => flow.state === 'running' || flow.state === 'paused');
    if (busy.length > 0) {
      throw new ApiFailure(
        'conflict',
        `A run is queued or in progress for ${busy.map((flow) => flow.name).join(', ')}: cancel it first.`,
      );
    }

    // Secret first: if the keychain is unreachable, keep the row so the secret is not orphaned.
    if (current.secret.isSet) await vault.delete(current.id);

    // Looked at again inside the transaction: a flow saved while the keychain answered is paused
    // too (the operator chose to pause the flows using it) or, without that choice, refuses.
    const outcome = store.db.transaction(() => {
      const now = flowsUsingConnection(store.db, current.id);
      if (now.usages.length > 0 && input.pauseFlows !== true) return { refused: now.usages, paused: [] };
      const disabled = now.flows.filter((flow) => flow.enabled);
      for (const flow of disabled) flowsRepo.setEnabled(flow.id, false, by);
      connections.delete(current.id);
      return { refused: [], paused: disabled };
    })();
    if (outcome.refused.length > 0) {
      // The secret is already gone: the row must say so, not claim a key the keychain no longer has.
      if (current.secret.isSet) connections.markSecret(current.id, null);
      refuseInUse(describeUsages(outcome.refused), outcome.refused.length);
    }
    const paused = outcome.paused;

    const pausedFlows = paused.map((flow) => flow.name);
    call.audit.detail = { name: current.name, kind: current.kind, usedBy, pausedFlows };
    if (current.kind === 'webhook-in') services.webhookListeners.reconcile();
    for (const flow of paused) events.publish({ type: 'flows.changed', id: flow.id, change: 'disabled' });
    if (paused.length > 0) notifyFlowsChanged(services.engine);
    events.publish({ type: 'connections.changed', id: current.id, change: 'deleted' });
    return { id: current.id, pausedFlows };
  };
}
