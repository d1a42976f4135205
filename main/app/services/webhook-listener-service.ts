import type { WebhookEndpoint, WebhookListenerReport } from '../../../shared/contract/ops/service-ops.js';
import type { Connection, WebhookInSettings } from '../../../shared/domain/connection.js';
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
import type { ServiceDefinition, ServiceSupervisor } from './service-supervisor.js';
import {
  connectionListenAddress,
  listenAddress,
  listenerServiceName,
  listenHostRefusal,
  type ListenAddress,
} from './webhook-listen-address.js';
import { webhookRefusalAudit } from './webhook-refusal-audit.js';

/**
 * The console's default listener address (`osc serve --webhook-host/--webhook-port`): where every
 * webhook-in connection without a listen host and port of its own is received. The TLS files and
 * the insecure-http opt-in apply to every listener and decide whether one may bind off loopback.
 */
export interface WebhookListenerSettings {
  readonly host?: string;
  /** 0 takes a free port (tests, the demo); the console's default is DEFAULT_WEBHOOK_PORT. */
  readonly port?: number;
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  readonly allowInsecureHttp?: boolean;
  /** How long identical refusals are counted before their count is audited (default 60 s). */
  readonly refusalWindowMs?: number;
}

export const DEFAULT_WEBHOOK_PORT = 4781;
/** Backstop for connection changes made without the API (another process on the same store). */
const RECONCILE_EVERY_MS = 2_000;

/** How a partner signs a request: the checker's own instructions, plus the request's shape. */
export const SIGNING_STEPS: readonly string[] = [
  'POST the raw JSON body with Content-Type: application/json to the URL below.',
  ...SIGNING_INSTRUCTIONS,
  "FHIR rest-hook: set the Subscription's channel header to 'Authorization: Bearer <the signing secret>'.",
];

export interface WebhookListenerService {
  /** The default listener's base URL while it listens, else null. */
  url(): string | null;
  /** One entry per listener address in use: its service, URL while listening, and its connections. */
  listeners(): WebhookListenerReport[];
  endpoints(): WebhookEndpoint[];
  /** Why a webhook-in connection may not listen on this host (the bind policy), or null. */
  listenHostRefusal(host: string | undefined): string | null;
  /** Starts a listener for each new address in use and stops those no connection uses any more. */
  reconcile(): void;
  /** Stops the reconcile timer and writes the refusals still being counted. */
  stop(): void;
}

interface Managed {
  readonly address: ListenAddress;
  readonly service: string;
  listener: WebhookListener | null;
}

const webhookIn = (connection: Connection): WebhookInSettings | null =>
  connection.settings.kind === 'webhook-in' ? connection.settings : null;

/**
 * One fastify listener per distinct address in use: the console's default one always, plus one per
 * other host/port that webhook-in connections name, shared by the connections that name the same.
 * Each is a supervised service of its own (`webhook-listener` for the default, `webhook-listener
 * <host:port>` for the others), so a port in use shows that listener as failed with the OS's reason
 * while the others keep running. A source is accepted only on its own connection's listener: on any
 * other it is an unknown source (404). The set follows connection changes at once (reconcile() from
 * the connection handlers) and every few seconds as a backstop, without restarting the console.
 */
export function webhookListenerService(deps: {
  readonly store: Store;
  readonly connections: ConnectionsRepo;
  readonly secrets: SecretReader;
  readonly settings: WebhookListenerSettings;
  readonly logger: Logger;
  readonly supervisor: ServiceSupervisor;
}): WebhookListenerService {
  const fallback = listenAddress(
    deps.settings.host ?? '127.0.0.1',
    deps.settings.port ?? DEFAULT_WEBHOOK_PORT,
  );
  const policy = {
    tls: deps.settings.tls !== undefined,
    allowInsecureHttp: deps.settings.allowInsecureHttp === true,
  };
  const events = new InboundEventStore(deps.store.db);
  const managed = new Map<string, Managed>();
  const audit = webhookRefusalAudit({
    windowMs: deps.settings.refusalWindowMs,
    append: (entry) => {
      try {
        deps.store.audit.append(entry);
      } catch (error) {
        deps.logger.error(
          { action: entry.action, err: error instanceof Error ? error.message : String(error) },
          'audit row refused',
        );
      }
    },
  });
  const addressOf = (settings: WebhookInSettings): ListenAddress =>
    connectionListenAddress(settings, fallback);

  const definition = (entry: Managed): ServiceDefinition => ({
    name: entry.service,
    label: `Inbound webhook + FHIR rest-hook listener (${entry.address.key})`,
    async start(context) {
      // Audit rows name the address actually bound (a configured port 0 is a free port).
      let bound = entry.address.key;
      const started = await startWebhookListener({
        host: entry.address.host,
        port: entry.address.port,
        ...(deps.settings.tls === undefined ? {} : { tls: deps.settings.tls }),
        allowInsecureHttp: policy.allowInsecureHttp,
        events,
        // Only the sources of connections on this address: another listener's source is unknown here.
        sources: (sourceName): WebhookSourceConfig | null => {
          for (const connection of deps.connections.list()) {
            const settings = webhookIn(connection);
            if (settings?.sourceName === sourceName && addressOf(settings).key === entry.address.key)
              return { connectionId: connection.id, settings };
          }
          return null;
        },
        secrets: deps.secrets,
        onRejected: (notice) => audit.note(bound, notice),
        onFailure: (error) => context.died(error),
      });
      entry.listener = started;
      bound = new URL(started.url).host;
      return {
        detail: () => `listening on ${started.url}`,
        stop: async () => {
          if (entry.listener === started) entry.listener = null;
          await started.close();
        },
      };
    },
  });

  const manage = (address: ListenAddress, register: (definition: ServiceDefinition) => void): void => {
    const entry: Managed = { address, service: listenerServiceName(address, fallback), listener: null };
    managed.set(address.key, entry);
    register(definition(entry));
  };
  // The default listener runs whether or not a connection uses it (osc serve prints its address).
  manage(fallback, (entry) => deps.supervisor.register(entry));

  const reconcile = (): void => {
    const wanted = new Map<string, ListenAddress>();
    for (const connection of deps.connections.list()) {
      const settings = webhookIn(connection);
      if (settings !== null) {
        const address = addressOf(settings);
        wanted.set(address.key, address);
      }
    }
    for (const [key, entry] of managed) {
      if (key !== fallback.key && !wanted.has(key)) {
        managed.delete(key);
        void deps.supervisor.remove(entry.service);
      }
    }
    for (const [key, address] of wanted) {
      if (!managed.has(key)) manage(address, (entry) => deps.supervisor.add(entry));
    }
  };
  const timer = setInterval(() => {
    try {
      reconcile();
    } catch (error) {
      deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'webhook listeners');
    }
  }, RECONCILE_EVERY_MS);
  timer.unref();

  const listeners = (): WebhookListenerReport[] => {
    const connections = deps.connections.list();
    return [...managed.values()].map((entry) => ({
      address: entry.address.key,
      service: entry.service,
      url: entry.listener?.url ?? null,
      connectionIds: connections.flatMap((connection) => {
        const settings = webhookIn(connection);
        return settings !== null && addressOf(settings).key === entry.address.key ? [connection.id] : [];
      }),
    }));
  };

  return {
    url: () => managed.get(fallback.key)?.listener?.url ?? null,
    listeners,
    endpoints() {
      return deps.connections.list().flatMap((connection) => {
        const settings = webhookIn(connection);
        const base = settings === null ? undefined : managed.get(addressOf(settings).key)?.listener?.url;
        if (settings === null || base === undefined) return [];
        return [
          {
            connectionId: connection.id,
            name: connection.name,
            sourceName: settings.sourceName,
            webhookUrl: `${base}/hooks/${settings.sourceName}`,
            fhirUrl: `${base}/fhir/${settings.sourceName}`,
          },
        ];
      });
    },
    listenHostRefusal: (host) => listenHostRefusal(host, policy),
    reconcile,
    stop() {
      clearInterval(timer);
      audit.flush();
    },
  };
}
