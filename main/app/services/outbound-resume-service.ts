import { DeliveryStore } from '../../connectors/webhook/delivery-store.js';
import { OutboundWebhookTarget } from '../../connectors/webhook/outbound-webhook-target.js';
import type { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { Store } from '../../store/types.js';
import type { SecretReader } from '../../vault/types.js';
import type { ServiceDefinition } from './service-supervisor.js';

/**
 * Delivers outbound webhooks that no run will send any more: rows left pending by a crash or a
 * SIGKILL, or by a cancelled run. It looks at start and then every `everyMs`. A row a live run is
 * still retrying has its next attempt in the future or is picked by that run first; should both
 * send, the event id is the same and the subscriber answers 409 (counted as delivered).
 */
export function outboundResumeService(deps: {
  readonly store: Store;
  readonly connections: ConnectionsRepo;
  readonly secrets: SecretReader;
  readonly everyMs?: number;
  readonly batch?: number;
}): ServiceDefinition {
  return {
    name: 'outbound-resume',
    label: 'Outbound delivery resume',
    start(context) {
      const abort = new AbortController();
      let delivered = 0;
      let busy: Promise<void> | null = null;
      const deliveries = new DeliveryStore(deps.store.db);
      const pass = async (): Promise<void> => {
        for (const connection of deps.connections.list()) {
          if (abort.signal.aborted) return;
          if (connection.settings.kind !== 'webhook-out') continue;
          const target = new OutboundWebhookTarget({
            connectionId: connection.id,
            settings: connection.settings,
            secrets: deps.secrets,
            deliveries,
          });
          const outcomes = await target.resumeDue(deps.batch ?? 50, abort.signal);
          delivered += outcomes.filter((outcome) => outcome.ok).length;
        }
      };
      const tick = (): void => {
        if (busy !== null) return;
        busy = pass()
          .catch((error: unknown) => {
            if (!abort.signal.aborted) context.died(error);
          })
          .finally(() => (busy = null));
      };
      tick();
      const timer = setInterval(tick, deps.everyMs ?? 15_000);
      timer.unref();
      return Promise.resolve({
        detail: () => `${delivered} resumed deliveries sent`,
        async stop() {
          clearInterval(timer);
          abort.abort();
          await busy;
        },
      });
    },
  };
}
