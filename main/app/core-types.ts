import type { ServicesReport } from '../../shared/contract/ops/service-ops.js';
import type { Dispatch, EventSubscriber } from '../api/call-context.js';

/** The console's engine room, shared by the Electron shell, the headless server and the CLI. */
export interface Core {
  readonly dispatch: Dispatch;
  readonly dataDir: string;
  subscribe(subscriber: EventSubscriber): () => void;
  /** The CSRF token of a live session (locked or not), for the HTTP transport's check. */
  csrfTokenFor(sessionId: string | null): string | null;
  /** The long-lived services' health (the same answer as the `services.status` operation). */
  servicesReport(): ServicesReport;
  close(): Promise<void>;
}
