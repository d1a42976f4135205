import type { ServicesReport } from '../../../shared/contract/ops/service-ops.js';
import type { Connection } from '../../../shared/domain/connection.js';
import { inboundEndpoint, type ListenerState } from '../../../shared/domain/inbound-endpoint.js';
import type { Services } from '../services.js';

/** The state of the listener a connection is received on: its URL, or its service's state and error. */
function listenerOf(report: ServicesReport, connectionId: string): ListenerState {
  const listener = report.webhookListeners.find((entry) => entry.connectionIds.includes(connectionId));
  if (listener === undefined) return { baseUrl: null, address: null, service: null };
  const service = report.services.find((entry) => entry.name === listener.service);
  return {
    baseUrl: listener.url,
    address: listener.address,
    service: service === undefined ? null : { state: service.state, lastError: service.lastError },
  };
}

/**
 * Adds to each webhook-in connection of an answer where its partner posts and how to sign, from its
 * own listener's state at this moment (the address it is received on, bound or failed and why). The
 * report is read once per answer, so a list shows every connection against the same moment.
 */
export function withInboundEndpoints(
  services: Pick<Services, 'serviceReport'>,
): (connection: Connection) => Connection {
  let report: ServicesReport | null = null;
  return (connection) => {
    if (connection.settings.kind !== 'webhook-in') return connection;
    report ??= services.serviceReport();
    return {
      ...connection,
      inbound: inboundEndpoint(connection.settings.sourceName, listenerOf(report, connection.id)),
    };
  };
}
