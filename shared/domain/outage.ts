import type { ConnectionBreakerView } from './connection-breaker.js';

/**
 * Outage operations as the console shows them (issue 11): degraded mode, the durable outbox, its
 * drain, manual fallback entries and the downtime procedure. Nothing here carries a secret; only
 * the outbox and fallback listings carry payloads (readers: see the contract's access lists).
 */

/** An administrator switched this connection to degraded mode: as a target its writes wait in the outbox. */
export interface DegradedMode {
  readonly connectionId: string;
  readonly reason: string;
  readonly since: string;
  /** Operator id of who switched it on. */
  readonly switchedBy: string;
}

/** A run sending a flow's outbox, as the Outages page shows its progress bar. */
export interface OutboxDrainView {
  readonly runId: string;
  readonly status: 'queued' | 'running' | 'paused';
  /** Writes sent (or settled as unchanged / failed) by this run so far. */
  readonly sent: number;
  /** sent + what still waits. */
  readonly total: number;
  readonly startedAt: string | null;
  /** Settled writes per second over the drain so far (null before the first). */
  readonly perSecond: number | null;
  /** Seconds left at that pace (null when unknown). */
  readonly etaSeconds: number | null;
}

export interface OutboxFlowView {
  readonly flowId: string;
  readonly flowName: string;
  readonly connectionId: string;
  readonly waiting: number;
  /** Of those, the writes of a batch held as anomalous (issue 12): sent only once a human releases them. */
  readonly held: number;
  /** Queue time of the oldest waiting write: today's data-loss exposure starts there. */
  readonly oldestQueuedAt: string | null;
  readonly drain: OutboxDrainView | null;
}

export interface ConnectionOutageView {
  readonly connectionId: string;
  readonly name: string;
  readonly kind: string;
  readonly breaker: ConnectionBreakerView | null;
  readonly degraded: DegradedMode | null;
  /** Waiting writes whose target is this connection. */
  readonly waiting: number;
  readonly oldestQueuedAt: string | null;
  /** Flows that read from or write to this connection. */
  readonly flows: readonly {
    readonly flowId: string;
    readonly name: string;
    readonly role: 'source' | 'target';
  }[];
}

/** What the banner on every page shows: anything degraded or down, and the exposure. */
export interface OutageExposure {
  /** Connections in degraded mode or with a breaker not closed. */
  readonly down: readonly {
    readonly connectionId: string;
    readonly name: string;
    readonly since: string;
    readonly why: 'degraded' | 'breaker';
  }[];
  readonly waiting: number;
  /** Of the waiting writes, those held as anomalous batches for review (issue 12). */
  readonly held: number;
  readonly oldestQueuedAt: string | null;
}

export interface OutagesOverview {
  readonly connections: readonly ConnectionOutageView[];
  readonly outbox: readonly OutboxFlowView[];
  readonly exposure: OutageExposure;
}

export const OUTBOX_STATES = ['waiting', 'sent', 'unchanged', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** One write in a flow's outbox, with its payload (admins and IT staff only). */
export interface OutboxEntry {
  readonly seq: number;
  readonly flowId: string;
  readonly state: OutboxState;
  readonly reason: 'breaker' | 'degraded' | 'behind';
  readonly targetKey: string;
  readonly orderKey: string;
  readonly sourceId: string;
  readonly mappingVersion: number;
  readonly payloadHash: string;
  readonly payload: unknown;
  readonly queuedAt: string;
  readonly settledAt: string | null;
  readonly targetId: string | null;
}

/** A printable downtime procedure, generated from the configuration and the current state. */
export interface DowntimeProcedure {
  readonly generatedAt: string;
  readonly exposure: OutageExposure;
  readonly sections: readonly {
    readonly connectionId: string;
    readonly name: string;
    readonly kind: string;
    readonly state: 'up' | 'degraded' | 'down';
    readonly affectedFlows: readonly string[];
    /** Ordered steps: what to do, who does it. */
    readonly steps: readonly { readonly who: string; readonly what: string }[];
  }[];
}
