/**
 * Runs: one execution of a flow. Counts add up per record: read = mapped + failed-at-map/validate;
 * mapped = unchanged + written + failed-at-load.
 */
/** 'replay': a run that sends stored exception payloads again instead of reading the source. */
export const RUN_TRIGGERS = ['manual', 'schedule', 'realtime', 'backfill', 'resume', 'replay'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const RUN_STATUSES = [
  'queued',
  'running',
  'paused',
  'succeeded',
  'completed-with-failures',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const FINISHED_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'completed-with-failures',
  'failed',
  'cancelled',
  'interrupted',
];

export interface RunCounts {
  readonly read: number;
  readonly mapped: number;
  readonly unchanged: number;
  readonly written: number;
  readonly failed: number;
  /**
   * Mapped writes this run put into the outbox instead of sending them (the target was down or in
   * degraded mode); present only when some were. mapped = unchanged + written + load failures + deferred.
   */
  readonly deferred?: number;
  /** Writes this run sent from the flow's outbox before reading the source; present only when some were. */
  readonly drained?: number;
}

export interface Run {
  readonly id: string;
  readonly flowId: string;
  readonly trigger: RunTrigger;
  readonly requestedBy: string;
  readonly status: RunStatus;
  readonly mappingId: string;
  readonly mappingVersion: number;
  readonly counts: RunCounts;
  readonly cursorBefore: string | null;
  readonly cursorAfter: string | null;
  /** Backfill start date, when the run was a backfill. */
  readonly backfillFrom: string | null;
  readonly queuedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** A run-level problem (source unreachable, mapping missing); per-record failures are separate. */
  readonly error: string | null;
}

export const FAILURE_STAGES = ['extract', 'map', 'validate', 'load'] as const;
export type FailureStage = (typeof FAILURE_STAGES)[number];

/** A record that did not go through, kept with everything needed to fix and replay it. */
export interface RecordFailure {
  readonly id: number;
  readonly runId: string;
  readonly flowId: string;
  readonly stage: FailureStage;
  readonly sourceType: string;
  readonly sourceId: string;
  readonly sourceVersion: string;
  readonly targetKey: string | null;
  readonly errorClass: string;
  readonly errorCode: string;
  /** The target's own message, or the failed rule's message. */
  readonly errorMessage: string;
  readonly sourcePayload: unknown;
  readonly mappedPayload: unknown;
  readonly at: string;
}

export interface RunProgress {
  readonly runId: string;
  readonly flowId: string;
  readonly status: RunStatus;
  readonly counts: RunCounts;
  /** Records per second over the run so far. */
  readonly throughput: number;
  /** Mean time of a target write call in this run, ms. */
  readonly loadLatencyMs: number;
  /** Records read from the source but not yet with a durable outcome. */
  readonly queueDepth: number;
}
