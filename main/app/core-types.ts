import type { ServicesReport } from '../../shared/contract/ops/service-ops.js';
import type { Dispatch, EventSubscriber } from '../api/call-context.js';
import type { MetricsScrape } from '../server/metrics/metrics-access.js';
import type { AuditAppend } from '../store/types.js';

/** The console's engine room, shared by the Electron shell, the headless server and the CLI. */
export interface Core {
  readonly dispatch: Dispatch;
  readonly dataDir: string;
  subscribe(subscriber: EventSubscriber): () => void;
  /** The CSRF token of a live session (locked or not), for the HTTP transport's check. */
  csrfTokenFor(sessionId: string | null): string | null;
  /**
   * The username behind a live session (locked or not) whose operator still exists and is enabled,
   * else null: whom a transport's refusal is recorded against.
   */
  sessionOperator(sessionId: string | null): string | null;
  /**
   * One audit row for a call a transport refused before it reached the dispatcher (a foreign Host, a
   * failed CSRF check, a malformed body). A row the store refuses is logged, never thrown: the
   * refusal is answered either way. The /metrics route writes its coalesced scrape rows here too.
   */
  auditTransportRefusal(entry: AuditAppend): void;
  /** One /metrics scrape for the session behind a cookie, or why not (main/server/metrics). */
  scrapeMetrics(sessionId: string | null): MetricsScrape;
  /** The long-lived services' health (the same answer as the `services.status` operation). */
  servicesReport(): ServicesReport;
  close(): Promise<void>;
}
