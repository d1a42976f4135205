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

/** Where a webhook-in connection's partner posts, once the shared listener is up. */
export interface WebhookEndpoint {
  readonly connectionId: string;
  readonly name: string;
  readonly sourceName: string;
  /** Signed partner events: `POST <webhookUrl>`. */
  readonly webhookUrl: string;
  /** FHIR R4 rest-hook Subscription endpoint for the same source. */
  readonly fhirUrl: string;
}

export interface ServicesReport {
  readonly services: readonly ServiceStatus[];
  /** The inbound listener's base URL, null while it is not listening. */
  readonly webhookListenerUrl: string | null;
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
