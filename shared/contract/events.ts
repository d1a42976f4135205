import type { Role } from './roles.js';
import type { AuditEntry } from '../domain/audit.js';
import type { ExceptionState } from '../domain/exception.js';
import type { ReconcileRunState } from '../domain/flow-reconcile.js';
import type { FailureStage, RunProgress } from '../domain/run.js';
import type { ServiceStatus } from './ops/service-ops.js';

/**
 * Live events pushed from the main side to consoles (IPC `osc:event`, or server-sent events over
 * HTTP). Each carries only what every role allowed to see it may know; never a secret or a payload.
 */
export type LiveEvent =
  /**
   * The whole new row (its detail never holds a secret), so a console prepends it without asking the
   * server again: reads are audited too, and a refetch per event would feed itself forever.
   */
  | { readonly type: 'audit.appended'; readonly entry: AuditEntry }
  /** A chain verification (audit.verify) is walking the log in the store worker: rows done of total. */
  | { readonly type: 'audit.verifying'; readonly done: number; readonly total: number }
  | {
      readonly type: 'connections.changed';
      readonly id: string;
      readonly change: 'created' | 'updated' | 'deleted' | 'secret' | 'credentials' | 'breaker';
    }
  | { readonly type: 'session.locked'; readonly reason: 'inactivity' | 'manual' }
  /** One tab unlocked the session: every other tab of it leaves the lock screen too. */
  | { readonly type: 'session.unlocked' }
  | { readonly type: 'session.ended'; readonly reason: 'logout' | 'password-reset' | 'disabled' }
  | {
      readonly type: 'flows.changed';
      readonly id: string;
      readonly change: 'created' | 'updated' | 'deleted' | 'enabled' | 'disabled' | 'cursor';
    }
  | {
      readonly type: 'mappings.changed';
      readonly id: string;
      readonly version: number;
      readonly change: 'created' | 'approved' | 'activated' | 'imported';
    }
  /** Throttled (a few per second per run): counts, throughput, latency and queue depth. */
  | { readonly type: 'runs.progress'; readonly progress: RunProgress }
  /** A record failed; the payload stays in the store, only where and why travel. */
  | {
      readonly type: 'runs.failure';
      readonly runId: string;
      readonly flowId: string;
      readonly stage: FailureStage;
      readonly sourceId: string;
      readonly errorCode: string;
    }
  | {
      readonly type: 'flows.freshness';
      readonly flowId: string;
      readonly lastSuccessAt: string | null;
      readonly objectiveMinutes: number;
      readonly breached: boolean;
    }
  | {
      readonly type: 'engine.status';
      readonly state: 'running' | 'restarting' | 'stopped';
      readonly activeRuns: number;
      readonly queuedRuns: number;
    }
  /**
   * Exceptions changed: an operator acted on some (ids, and the state they are in now), or a run
   * opened, added to or resolved some of a flow's (ids empty: the engine does not list them). Only
   * ids, the flow and the state travel, never a payload: consoles read the lists again.
   */
  | {
      readonly type: 'exceptions.changed';
      readonly flowId: string | null;
      readonly ids: readonly string[];
      readonly state: ExceptionState | null;
    }
  /** A long-lived service changed state (main/app/services); the whole status, so no refetch. */
  | { readonly type: 'services.changed'; readonly service: ServiceStatus }
  /**
   * Outage operations changed (issue 11): degraded mode switched, writes queued in or drained from
   * the outbox, a fallback entry entered or matched. Consoles read `outages.overview` again; the
   * event says what happened so desktop notifications can speak of it without a payload.
   */
  | {
      readonly type: 'outages.changed';
      readonly change: 'degraded' | 'restored' | 'outbox' | 'drain-finished' | 'drain-stuck' | 'fallback';
      readonly connectionId: string | null;
      readonly flowId: string | null;
    }
  /**
   * A batch was held as anomalous, or a held one released or rejected (issue 12): consoles read
   * `holds.list` again. Only ids and what happened travel.
   */
  | {
      readonly type: 'holds.changed';
      readonly change: 'held' | 'released' | 'rejected';
      readonly holdId: string;
      readonly flowId: string;
    }
  /**
   * A reconciliation of a flow finished (issue 12): consoles read `reconcile.status` again; new
   * differences (each an exception) raise a notification. Only ids, the outcome and a count travel.
   */
  | {
      readonly type: 'reconcile.changed';
      readonly flowId: string;
      readonly runId: string;
      readonly state: ReconcileRunState;
      readonly differencesNew: number;
    };

export type LiveEventType = LiveEvent['type'];

/** Which roles receive each event type; session events go only to the session they concern. */
export const EVENT_AUDIENCE: Readonly<Record<LiveEventType, readonly Role[] | 'own-session'>> = {
  'audit.appended': ['it-staff', 'administrator', 'viewer'],
  // Only counts travel; the same roles as see the rows being walked.
  'audit.verifying': ['it-staff', 'administrator', 'viewer'],
  'connections.changed': ['it-staff', 'finance', 'administrator', 'viewer'],
  'session.locked': 'own-session',
  'session.unlocked': 'own-session',
  'session.ended': 'own-session',
  'flows.changed': ['it-staff', 'finance', 'administrator', 'viewer'],
  'mappings.changed': ['it-staff', 'finance', 'administrator', 'viewer'],
  'runs.progress': ['it-staff', 'finance', 'administrator', 'viewer'],
  'runs.failure': ['it-staff', 'finance', 'administrator', 'viewer'],
  'flows.freshness': ['it-staff', 'finance', 'administrator', 'viewer'],
  'engine.status': ['it-staff', 'finance', 'administrator', 'viewer'],
  'services.changed': ['it-staff', 'finance', 'administrator', 'viewer'],
  // Viewers see the inbox's lists and counts, so they hear of changes too (the event holds no payload).
  'exceptions.changed': ['it-staff', 'finance', 'administrator', 'viewer'],
  // Everybody sees the outage banner; the event carries only ids and what happened.
  'outages.changed': ['it-staff', 'finance', 'administrator', 'viewer'],
  // Everybody reads the holds list (holds.list); the event carries only ids and what happened.
  'holds.changed': ['it-staff', 'finance', 'administrator', 'viewer'],
  // Everybody reads reconcile.status and the report; the event carries ids, the outcome and a count.
  'reconcile.changed': ['it-staff', 'finance', 'administrator', 'viewer'],
};

export const HTTP_OPERATION_PREFIX = '/api/ops/';
export const HTTP_EVENTS_PATH = '/api/events';
export const CSRF_HEADER = 'x-csrf-token';
