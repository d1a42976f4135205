import type { ConnectionOutageView } from '../../../shared/domain/outage.js';

export interface FallbackFlowChoice {
  readonly flowId: string;
  readonly name: string;
}

/** Every flow once, by name; the first one whose source is down or degraded is offered first. */
export function fallbackChoices(connections: readonly ConnectionOutageView[]): {
  readonly flows: readonly FallbackFlowChoice[];
  readonly preferredFlowId: string | null;
} {
  const byId = new Map<string, FallbackFlowChoice>();
  let preferredFlowId: string | null = null;
  for (const connection of connections) {
    const down =
      connection.degraded !== null || (connection.breaker !== null && connection.breaker.state !== 'closed');
    for (const flow of connection.flows) {
      byId.set(flow.flowId, { flowId: flow.flowId, name: flow.name });
      if (down && flow.role === 'source' && preferredFlowId === null) preferredFlowId = flow.flowId;
    }
  }
  const flows = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { flows, preferredFlowId };
}
