import type { DashboardFlow } from '../../../shared/domain/dashboard.js';
import type { ReconcileStatus } from '../../../shared/domain/flow-reconcile.js';
import type { RunProgress } from '../../../shared/domain/run.js';
import { FINISHED_RUN_STATUSES } from '../../../shared/domain/run.js';
import { relativeTime } from '../../app/format-time.js';
import { etaText } from '../../components/outage-text.js';

/**
 * The dashboard's words and numbers (issue 12, item 4), pure so they are unit-tested without a
 * browser. Freshness: green while the last good sync is well inside the objective, amber in its last
 * quarter, red once past it (breached: a notification says so too) or when never synced.
 */
export type FreshnessTone = 'green' | 'amber' | 'red' | 'none';

/** Past this share of the objective the data is about to go stale: amber. */
export const AMBER_FROM = 0.75;

export function freshnessTone(
  flow: Pick<DashboardFlow, 'lastSuccessAt' | 'freshnessObjectiveMinutes'>,
  now: Date,
): { readonly tone: FreshnessTone; readonly text: string } {
  const objective = flow.freshnessObjectiveMinutes;
  if (objective === null) return { tone: 'none', text: 'No objective' };
  if (flow.lastSuccessAt === null)
    return { tone: 'red', text: `Breached: never synced (objective ${objective} min)` };
  const ageMs = now.getTime() - Date.parse(flow.lastSuccessAt);
  const share = ageMs / (objective * 60_000);
  const age = relativeTime(flow.lastSuccessAt, now);
  if (share > 1) return { tone: 'red', text: `Breached: last good sync ${age} (objective ${objective} min)` };
  if (share >= AMBER_FROM)
    return { tone: 'amber', text: `Due soon: last good sync ${age} (objective ${objective} min)` };
  return { tone: 'green', text: `Fresh: last good sync ${age} (objective ${objective} min)` };
}

export interface RunBar {
  /** Records with an outcome so far (written, unchanged, failed, deferred). */
  readonly done: number;
  /** What the run is measured against: the flow's usual run size, or null (no bar, counts only). */
  readonly expected: number | null;
  /** 0–100, or null without an expected size. */
  readonly percent: number | null;
  readonly text: string;
}

/** The progress bar of a running flow, or null when nothing runs. */
export function runBar(progress: RunProgress | undefined, usualRead: number | null): RunBar | null {
  if (progress === undefined || FINISHED_RUN_STATUSES.includes(progress.status)) return null;
  const { read, written, unchanged, failed } = progress.counts;
  const done = written + unchanged + failed + (progress.counts.deferred ?? 0);
  const rate =
    progress.throughput > 0 ? `${progress.throughput.toLocaleString('en-US')} records/s` : 'starting';
  const counts = `${read.toLocaleString('en-US')} read, ${written.toLocaleString('en-US')} written, ${failed.toLocaleString('en-US')} failed`;
  const paused = progress.status === 'paused' ? 'Paused: ' : '';
  if (usualRead === null || usualRead <= 0)
    return { done, expected: null, percent: null, text: `${paused}${counts} · ${rate}` };
  // A run larger than usual goes on past 100 %: the bar waits at 99 % and the ETA says unknown.
  const percent = Math.min(99, Math.floor((read / usualRead) * 100));
  const left = usualRead - read;
  const eta = left > 0 && progress.throughput > 0 ? etaText(left / progress.throughput) : 'time left unknown';
  return {
    done,
    expected: usualRead,
    percent,
    text: `${paused}${counts} · ${rate} · ${eta} (usual run ${usualRead.toLocaleString('en-US')})`,
  };
}

/** Records written per minute in each bucket: the throughput sparkline. */
export function throughputSeries(flow: DashboardFlow, bucketMinutes: number): number[] {
  return flow.written.map((written) => Math.round((written / bucketMinutes) * 10) / 10);
}

/** Failed records as a percentage of the records with an outcome, per bucket (0 when idle). */
export function failureRateSeries(flow: DashboardFlow): number[] {
  return flow.written.map((written, index) => {
    const failed = flow.failed[index] ?? 0;
    const total = written + failed;
    return total === 0 ? 0 : Math.round((failed / total) * 1000) / 10;
  });
}

/** "128 records/min at most, 3.4 now": what a screen reader hears instead of the chart. */
export function seriesText(values: readonly number[], unit: string): string {
  if (values.length === 0 || values.every((value) => value === 0)) return `none in the last two hours`;
  const max = Math.max(...values);
  return `peak ${max.toLocaleString('en-US')} ${unit}, latest ${(values.at(-1) ?? 0).toLocaleString('en-US')} ${unit}`;
}

/** The reconciliation column: "In balance (3 periods)", "2 differences", "Not checked yet", or "—". */
export function reconcileText(status: ReconcileStatus | undefined): {
  readonly text: string;
  readonly alert: boolean;
} {
  if (status === undefined) return { text: '—', alert: false };
  if (status.lastCheckedAt === null) return { text: 'Not checked yet', alert: false };
  if (status.openDifferences > 0)
    return {
      text: `${status.openDifferences.toLocaleString('en-US')} difference${status.openDifferences === 1 ? '' : 's'} in ${status.periodsDiffering} period${status.periodsDiffering === 1 ? '' : 's'}`,
      alert: true,
    };
  return {
    text: `In balance (${status.periodsBalanced} period${status.periodsBalanced === 1 ? '' : 's'})`,
    alert: false,
  };
}
