import type { Connection } from '../../../shared/domain/connection.js';
import { inboundEndpoint } from '../../../shared/domain/inbound-endpoint.js';
import type { Services } from '../services.js';

/** The listener service's name in services.status (main/app/services/webhook-listener-service.ts). */
const LISTENER_SERVICE = 'webhook-listener';

/**
 * Adds to each webhook-in connection of an answer where its partner posts and how to sign, from the
 * listener's state at this moment (its bound address, or why it does not listen). Read once per
 * answer, so a list shows every connection against the same listener state.
 */
export function withInboundEndpoints(
  services: Pick<Services, 'serviceReport'>,
): (connection: Connection) => Connection {
  let listener: Parameters<typeof inboundEndpoint>[1] | null = null;
  const state = () => {
    if (listener !== null) return listener;
    const report = services.serviceReport();
    const service = report.services.find((entry) => entry.name === LISTENER_SERVICE);
    listener = {
      baseUrl: report.webhookListenerUrl,
      service: service === undefined ? null : { state: service.state, lastError: service.lastError },
    };
    return listener;
  };
  return (connection) =>
    connection.settings.kind === 'webhook-in'
      ? { ...connection, inbound: inboundEndpoint(connection.settings.sourceName, state()) }
      : connection;
}
