import { operation, returns } from '../operation.js';
import { EVERY_ROLE, empty } from './common.js';

/** The long-lived services of the running console (engine, listeners, watchers) and their health. */
export const SERVICE_STATES = ['starting', 'running', 'restarting', 'stopped', 'failed'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export interface ServiceStatus {
  readonly name: string;
  readonly label: string;
  readonly state: ServiceState;
  /** When it entered this state (ISO). */
  readonly since: string;
  readonly restarts: number;
  /** The last error's message (never a stack or a secret), and when. */
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** A short line such as the listener's address or how many folders are watched. */
  readonly detail: string | null;
}

/** Where a webhook-in connection's partner posts, once its listener is up. */
export interface WebhookEndpoint {
  readonly connectionId: string;
  readonly name: string;
  readonly sourceName: string;
  /** Signed partner events: `POST <webhookUrl>`. */
  readonly webhookUrl: string;
  /** FHIR R4 rest-hook Subscription endpoint for the same source. */
  readonly fhirUrl: string;
}

/**
 * One inbound webhook listener: the console's default address, or a host/port that webhook-in
 * connections name in their settings (connections naming the same address share it).
 */
export interface WebhookListenerReport {
  /** `host:port` as configured (its service in `services` is named after it). */
  readonly address: string;
  /** The ServiceStatus name that shows its state and last error. */
  readonly service: string;
  /** The base URL actually bound (scheme, address, port) while it listens, else null. */
  readonly url: string | null;
  /** The webhook-in connections received on it. */
  readonly connectionIds: readonly string[];
}

export interface ServicesReport {
  readonly services: readonly ServiceStatus[];
  /** The console's default inbound listener's base URL, null while it is not listening. */
  readonly webhookListenerUrl: string | null;
  /** Every inbound listener in use, the default one first. */
  readonly webhookListeners: readonly WebhookListenerReport[];
  readonly webhookEndpoints: readonly WebhookEndpoint[];
  /** How a partner signs a request (the scheme of main/connectors/webhook/README.md). */
  readonly signing: readonly string[];
}

export const serviceOperations = {
  'services.status': operation({
    summary: "Every long-lived service's state, and where inbound webhooks are received",
    input: empty,
    output: returns<ServicesReport>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
} as const;
