import type Database from 'better-sqlite3';
import type { DashboardFlow, DashboardOverview } from '../../../shared/domain/dashboard.js';
import { OutboxRepo } from '../outbox/outbox-repo.js';
import { FlowsRepo } from './flows-repo.js';
import { RunsRepo } from './runs-repo.js';

/** Two hours of 5-minute buckets: enough to see a trend, few enough points for a small sparkline. */
export const BUCKET_MINUTES = 5;
export const BUCKET_COUNT = 24;
/** The finished runs a running run is compared with (their median read). */
const USUAL_RUNS = 9;

/**
 * The dashboard's rows (issue 12, item 4), read in one transaction so a row's figures agree with
 * each other: flows, each one's newest run, exception counts, the outbox, holds, and per flow its
 * runs of the last two hours (one range read of the runs_by_flow index each) summed into buckets.
 */
export class DashboardReader {
  private readonly flows: FlowsRepo;
  private readonly runs: RunsRepo;
  private readonly outbox: OutboxRepo;
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.flows = new FlowsRepo(db);
    this.runs = new RunsRepo(db);
    this.outbox = new OutboxRepo(db);
    this.q = {
      exceptions: db.prepare<[], { flow_id: string; n: number }>(
        `SELECT flow_id, count(*) AS n FROM exceptions INDEXED BY exceptions_by_state_flow
         WHERE state IN ('open', 'retrying', 'dead') GROUP BY flow_id`,
      ),
      holds: db.prepare<[], { flow_id: string; n: number }>(
        "SELECT flow_id, count(*) AS n FROM anomaly_holds WHERE state = 'held' GROUP BY flow_id",
      ),
      // Runs queued up to a day before the window still count for what they finished inside it.
      series: db.prepare<[string, string, string], { finished_at: string; written: number; failed: number }>(
        `SELECT finished_at, written_count + coalesce(drained_count, 0) AS written, failed_count AS failed
         FROM runs INDEXED BY runs_by_flow WHERE flow_id = ? AND queued_at >= ? AND finished_at >= ?`,
      ),
      usual: db.prepare<[string, number], { read: number }>(
        `SELECT read_count AS read FROM runs INDEXED BY runs_by_flow
         WHERE flow_id = ? AND status IN ('succeeded', 'completed-with-failures') AND trigger <> 'replay'
         ORDER BY queued_at DESC LIMIT ?`,
      ),
    };
  }

  overview(now: Date = new Date()): DashboardOverview {
    return this.db.transaction(() => this.read(now))();
  }

  private read(now: Date): DashboardOverview {
    const bucketMs = BUCKET_MINUTES * 60_000;
    const start = now.getTime() - BUCKET_COUNT * bucketMs;
    const startIso = new Date(start).toISOString();
    const queuedFrom = new Date(start - 86_400_000).toISOString();
    const exceptions = countsOf(this.q.exceptions.all());
    const holds = countsOf(this.q.holds.all());
    const depth = new Map<string, { waiting: number; held: number }>();
    for (const row of this.outbox.depths()) {
      const current = depth.get(row.flowId) ?? { waiting: 0, held: 0 };
      depth.set(row.flowId, { waiting: current.waiting + row.waiting, held: current.held + row.held });
    }
    const flows = this.flows.list().map((flow): DashboardFlow => {
      const written = new Array<number>(BUCKET_COUNT).fill(0);
      const failed = new Array<number>(BUCKET_COUNT).fill(0);
      for (const run of this.q.series.all(flow.id, queuedFrom, startIso)) {
        const bucket = Math.min(
          BUCKET_COUNT - 1,
          Math.floor((Date.parse(run.finished_at) - start) / bucketMs),
        );
        if (bucket < 0) continue;
        written[bucket] = (written[bucket] ?? 0) + run.written;
        failed[bucket] = (failed[bucket] ?? 0) + run.failed;
      }
      const reads = this.q.usual.all(flow.id, USUAL_RUNS).map((row) => row.read);
      return {
        flowId: flow.id,
        name: flow.name,
        state: flow.state,
        enabled: flow.enabled,
        lastRun: flow.lastRunId === null ? null : this.runs.get(flow.lastRunId),
        lastSuccessAt: flow.lastSuccessAt,
        freshnessObjectiveMinutes: flow.freshnessObjectiveMinutes,
        openExceptions: exceptions.get(flow.id) ?? 0,
        outboxWaiting: depth.get(flow.id)?.waiting ?? 0,
        held: depth.get(flow.id)?.held ?? 0,
        holds: holds.get(flow.id) ?? 0,
        usualRead: median(reads),
        written,
        failed,
      };
    });
    return {
      generatedAt: now.toISOString(),
      buckets: { minutes: BUCKET_MINUTES, count: BUCKET_COUNT },
      flows: flows.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' })),
    };
  }
}

function countsOf(rows: readonly { flow_id: string; n: number }[]): Map<string, number> {
  return new Map(rows.map((row) => [row.flow_id, row.n]));
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? null)
    : Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}
