import type { FlowState } from './flow.js';
import type { Run } from './run.js';

/**
 * The dashboard (issue 12, item 4): one row per flow, read in one call (`dashboard.overview`) and kept
 * live by run progress events. Counts only: no payload, no secret.
 */
export interface DashboardFlow {
  readonly flowId: string;
  readonly name: string;
  readonly state: FlowState;
  readonly enabled: boolean;
  /** The flow's newest run (running, queued or finished), or null before its first. */
  readonly lastRun: Run | null;
  readonly lastSuccessAt: string | null;
  readonly freshnessObjectiveMinutes: number | null;
  /** Exceptions open or retrying (dead ones wait for a person too and count). */
  readonly openExceptions: number;
  /** Writes waiting in the outbox, and of those the ones held as an anomalous batch. */
  readonly outboxWaiting: number;
  readonly held: number;
  /** Batches held for review (each one a decision waiting for finance). */
  readonly holds: number;
  /**
   * Records the flow's recent finished runs read (their median), or null without any: what a
   * running run is measured against for its progress bar and ETA (sources rarely announce a total).
   */
  readonly usualRead: number | null;
  /** Per time bucket, oldest first (see `DashboardOverview.buckets`): records written and failed. */
  readonly written: readonly number[];
  readonly failed: readonly number[];
}

export interface DashboardOverview {
  readonly generatedAt: string;
  /** The series' buckets: `count` buckets of `minutes` each, the last one ending at `generatedAt`. */
  readonly buckets: { readonly minutes: number; readonly count: number };
  readonly flows: readonly DashboardFlow[];
}
