import type { WebhookEndpoint } from '../../../shared/contract/ops/service-ops.js';
import type { WebhookInSettings } from '../../../shared/domain/connection.js';
import { InboundEventStore } from '../../connectors/webhook/inbound-event-store.js';
import { SIGNING_INSTRUCTIONS } from '../../connectors/webhook/signature.js';
import {
  startWebhookListener,
  type WebhookListener,
  type WebhookSourceConfig,
} from '../../connectors/webhook/webhook-listener.js';
import type { Logger } from '../../log/logger.js';
import type { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { Store } from '../../store/types.js';
import type { SecretReader } from '../../vault/types.js';
import type { ServiceDefinition } from './service-supervisor.js';

/**
 * Where the one inbound listener binds. It is shared by every webhook-in connection (each is a path,
 * `/hooks/<sourceName>` and `/fhir/<sourceName>`), so its address is a console-level setting
 * (`osc serve --webhook-host/--webhook-port`), not a connection setting.
 */
export interface WebhookListenerSettings {
  readonly host?: string;
  /** 0 takes a free port (tests, the demo); the console's default is DEFAULT_WEBHOOK_PORT. */
  readonly port?: number;
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  readonly allowInsecureHttp?: boolean;
}

export const DEFAULT_WEBHOOK_PORT = 4781;

/** How a partner signs a request: the checker's own instructions, plus the request's shape. */
export const SIGNING_STEPS: readonly string[] = [
  'POST the raw JSON body with Content-Type: application/json to the URL below.',
  ...SIGNING_INSTRUCTIONS,
  "FHIR rest-hook: set the Subscription's channel header to 'Authorization: Bearer <the signing secret>'.",
];

export interface WebhookListenerService {
  readonly definition: ServiceDefinition;
  /** The listener's base URL while it listens, else null. */
  url(): string | null;
  endpoints(): WebhookEndpoint[];
}

export function webhookListenerService(deps: {
  readonly store: Store;
  readonly connections: ConnectionsRepo;
  readonly secrets: SecretReader;
  readonly settings: WebhookListenerSettings;
  readonly logger: Logger;
}): WebhookListenerService {
  let listener: WebhookListener | null = null;
  const sourceConfig = (sourceName: string): WebhookSourceConfig | null => {
    for (const connection of deps.connections.list()) {
      const settings = connection.settings;
      if (settings.kind === 'webhook-in' && settings.sourceName === sourceName)
        return { connectionId: connection.id, settings: settings satisfies WebhookInSettings };
    }
    return null;
  };
  const definition: ServiceDefinition = {
    name: 'webhook-listener',
    label: 'Inbound webhook + FHIR rest-hook listener',
    async start(context) {
      const started = await startWebhookListener({
        host: deps.settings.host ?? '127.0.0.1',
        port: deps.settings.port ?? DEFAULT_WEBHOOK_PORT,
        ...(deps.settings.tls === undefined ? {} : { tls: deps.settings.tls }),
        ...(deps.settings.allowInsecureHttp === undefined
          ? {}
          : { allowInsecureHttp: deps.settings.allowInsecureHttp }),
        events: new InboundEventStore(deps.store.db),
        sources: sourceConfig,
        secrets: deps.secrets,
        onRejected: (notice) => deps.logger.info({ ...notice }, 'inbound webhook refused'),
        onFailure: (error) => context.died(error),
      });
      listener = started;
      return {
        detail: () => `listening on ${started.url}`,
        stop: async () => {
          if (listener === started) listener = null;
          await started.close();
        },
      };
    },
  };
  return {
    definition,
    url: () => listener?.url ?? null,
    endpoints() {
      const base = listener?.url;
      if (base === undefined) return [];
      return deps.connections.list().flatMap((connection) =>
        connection.settings.kind === 'webhook-in'
          ? [
              {
                connectionId: connection.id,
                name: connection.name,
                sourceName: connection.settings.sourceName,
                webhookUrl: `${base}/hooks/${connection.settings.sourceName}`,
                fhirUrl: `${base}/fhir/${connection.settings.sourceName}`,
              },
            ]
          : [],
      );
    },
  };
}
