import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  ReconcileDifference,
  ReconcileDifferenceType,
  ReconcilePeriodResult,
  ReconcileRun,
  ReconcileRunState,
} from '../../../shared/domain/flow-reconcile.js';
import type { DayFact, Totals } from './reconcile-periods.js';

/**
 * The reconciliation's store side (migration 014): the console's totals per period and per day
 * from its facts (one indexed GROUP BY), a day's facts, and the runs, periods and differences a
 * reconciliation records.
 */

interface RunRow {
  id: string;
  flow_id: string;
  trigger: 'manual' | 'schedule';
  requested_by: string;
  started_at: string;
  finished_at: string | null;
  state: ReconcileRunState;
  periods: number;
  periods_balanced: number;
  differences_found: number;
  differences_new: number;
  odoo_calls: number;
  error: string | null;
}

function runOf(row: RunRow): ReconcileRun {
  return {
    id: row.id,
    flowId: row.flow_id,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    state: row.state,
    periods: row.periods,
    periodsBalanced: row.periods_balanced,
    differencesFound: row.differences_found,
    differencesNew: row.differences_new,
    odooCalls: row.odoo_calls,
    error: row.error,
  };
}

export interface PeriodRow {
  readonly period: string;
  readonly odoo: Totals;
  readonly console: Totals;
  readonly source: number | null;
  readonly balanced: boolean;
  readonly differences: number;
}

export interface DifferenceRow {
  readonly period: string;
  readonly day: string;
  readonly type: ReconcileDifferenceType;
  readonly identity: string;
  readonly targetKey: string | null;
  readonly odooId: number | null;
  readonly sourceId: string | null;
  readonly expected: string | null;
  readonly found: string | null;
  readonly message: string;
  readonly exceptionId: string | null;
  readonly isNew: boolean;
}

export function newReconcileRunId(): string {
  return `rec_${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
}

export class ReconcileStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      totals: db.prepare<
        [number, string, string, string],
        { p: string; n: number; amount: number | null; last: string | null }
      >(
        `SELECT substr(period_date, 1, ?) AS p, count(*) AS n, sum(amount) AS amount, max(written_at) AS last
         FROM reconcile_facts
         WHERE flow_id = ? AND period_date >= ? AND period_date < ? GROUP BY p`,
      ),
      dayFacts: db.prepare<
        [string, string],
        {
          target_key: string;
          target_id: string;
          source_id: string;
          amount: number | null;
          key_value: string | null;
          written_at: string;
        }
      >(
        `SELECT target_key, target_id, source_id, amount, key_value, written_at FROM reconcile_facts
         WHERE flow_id = ? AND period_date = ?`,
      ),
      keys: db.prepare<[string, string], { key_value: string; target_id: string }>(
        `SELECT key_value, target_id FROM reconcile_facts WHERE flow_id = ? AND key_value IN (SELECT value FROM json_each(?))`,
      ),
      knownSources: db.prepare<[string, string, string, string, string, string], { source_id: string }>(
        `SELECT source_id FROM reconcile_facts WHERE flow_id = ? AND source_id IN (SELECT value FROM json_each(?))
         UNION SELECT source_id FROM exceptions WHERE flow_id = ? AND source_id IN (SELECT value FROM json_each(?))
         UNION SELECT source_id FROM lineage WHERE flow_id = ? AND source_id IN (SELECT value FROM json_each(?))`,
      ),
      startRun: db.prepare(
        `INSERT INTO reconcile_runs (id, flow_id, trigger, requested_by, started_at) VALUES (?, ?, ?, ?, ?)`,
      ),
      finishRun: db.prepare(
        `UPDATE reconcile_runs SET finished_at = ?, state = ?, periods = ?, periods_balanced = ?,
           differences_found = ?, differences_new = ?, odoo_calls = ?, error = ? WHERE id = ?`,
      ),
      period: db.prepare(
        `INSERT INTO reconcile_periods (run_id, period, odoo_count, odoo_amount, console_count, console_amount,
           source_count, balanced, differences) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      difference: db.prepare(
        `INSERT INTO reconcile_differences (run_id, flow_id, period, day, type, identity, target_key, odoo_id,
           source_id, expected, found, message, exception_id, is_new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      run: db.prepare<[string], RunRow>('SELECT * FROM reconcile_runs WHERE id = ?'),
      lastRun: db.prepare<[string], RunRow>(
        `SELECT * FROM reconcile_runs WHERE flow_id = ? AND state <> 'running' ORDER BY started_at DESC, rowid DESC LIMIT 1`,
      ),
      running: db.prepare<[string, string], { id: string }>(
        `SELECT id FROM reconcile_runs WHERE flow_id = ? AND state = 'running' AND started_at > ?`,
      ),
      periods: db.prepare<
        [string],
        {
          period: string;
          odoo_count: number;
          odoo_amount: number | null;
          console_count: number;
          console_amount: number | null;
          source_count: number | null;
          balanced: number;
          differences: number;
        }
      >('SELECT * FROM reconcile_periods WHERE run_id = ? ORDER BY period'),
      differences: db.prepare<
        [string],
        {
          id: number;
          run_id: string;
          period: string;
          day: string;
          type: ReconcileDifferenceType;
          target_key: string | null;
          odoo_id: number | null;
          source_id: string | null;
          expected: string | null;
          found: string | null;
          message: string;
          exception_id: string | null;
          state: string | null;
        }
      >(
        `SELECT d.*, e.state FROM reconcile_differences d LEFT JOIN exceptions e ON e.id = d.exception_id
         WHERE d.run_id = ? ORDER BY d.day, d.id`,
      ),
      audit: db.prepare(
        `INSERT INTO engine_audit_outbox (action, target, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?)`,
      ),
      openCount: db.prepare<[string], { n: number }>(
        `SELECT count(*) AS n FROM exceptions WHERE flow_id = ? AND stage = 'reconcile'
           AND state IN ('open', 'retrying', 'dead')`,
      ),
    };
  }

  /** The console's totals per period (`chars` 7: months, 10: days) in [from, to). */
  totals(flowId: string, from: string, to: string, granularity: 'day' | 'month'): Map<string, Totals> {
    const chars = granularity === 'day' ? 10 : 7;
    return new Map(
      this.q.totals
        .all(chars, flowId, from, to)
        .map((row) => [
          chars === 7 ? `${row.p}-01` : row.p,
          { count: row.n, amount: row.amount, lastWrite: row.last },
        ]),
    );
  }

  dayFacts(flowId: string, day: string): DayFact[] {
    return this.q.dayFacts.all(flowId, day).map((row) => ({
      targetKey: row.target_key,
      targetId: row.target_id,
      sourceId: row.source_id,
      amount: row.amount,
      keyValue: row.key_value,
      writtenAt: row.written_at,
    }));
  }

  /** Business key → the Odoo id the flow wrote it to, for these keys. */
  writtenKeys(flowId: string, keys: readonly string[]): Map<string, string> {
    if (keys.length === 0) return new Map();
    return new Map(
      this.q.keys.all(flowId, JSON.stringify(keys)).map((row) => [row.key_value, row.target_id]),
    );
  }

  /** Of these source ids, those the console read at some point (wrote, failed, or has an exception for). */
  knownSources(flowId: string, ids: readonly string[]): Set<string> {
    if (ids.length === 0) return new Set();
    const list = JSON.stringify(ids);
    return new Set(
      this.q.knownSources.all(flowId, list, flowId, list, flowId, list).map((row) => row.source_id),
    );
  }

  /** Starts a run unless one of the flow's is running (and younger than `staleBefore`). */
  start(
    flowId: string,
    trigger: 'manual' | 'schedule',
    requestedBy: string,
    at: string,
    staleBefore: string,
  ): ReconcileRun | null {
    return this.db
      .transaction(() => {
        if (this.q.running.get(flowId, staleBefore) !== undefined) return null;
        const id = newReconcileRunId();
        this.q.startRun.run(id, flowId, trigger, requestedBy, at);
        return runOf(this.q.run.get(id) as RunRow);
      })
      .immediate();
  }

  finish(
    runId: string,
    at: string,
    outcome: {
      state: ReconcileRunState;
      periods: number;
      periodsBalanced: number;
      found: number;
      fresh: number;
      odooCalls: number;
      error: string | null;
    },
  ): ReconcileRun {
    this.q.finishRun.run(
      at,
      outcome.state,
      outcome.periods,
      outcome.periodsBalanced,
      outcome.found,
      outcome.fresh,
      outcome.odooCalls,
      outcome.error,
      runId,
    );
    return runOf(this.q.run.get(runId) as RunRow);
  }

  /** A run's periods and differences (called inside the transaction that opens their exceptions). */
  record(
    runId: string,
    flowId: string,
    periods: readonly PeriodRow[],
    differences: readonly DifferenceRow[],
  ): void {
    for (const p of periods)
      this.q.period.run(
        runId,
        p.period,
        p.odoo.count,
        p.odoo.amount,
        p.console.count,
        p.console.amount,
        p.source,
        p.balanced ? 1 : 0,
        p.differences,
      );
    for (const d of differences)
      this.q.difference.run(
        runId,
        flowId,
        d.period,
        d.day,
        d.type,
        d.identity,
        d.targetKey,
        d.odooId,
        d.sourceId,
        d.expected,
        d.found,
        d.message,
        d.exceptionId,
        d.isNew ? 1 : 0,
      );
  }

  /**
   * A scheduled reconciliation's audit row (an operator's is audited by the API dispatcher): through
   * the engine's audit outbox, which the engine writes to the tamper-evident log at its next flush.
   */
  auditScheduled(run: ReconcileRun, at: string): void {
    this.q.audit.run(
      'reconcile.scheduled',
      run.flowId,
      run.state === 'failed' ? 'error' : 'ok',
      JSON.stringify({
        run: run.id,
        state: run.state,
        periods: run.periods,
        periodsBalanced: run.periodsBalanced,
        differences: run.differencesFound,
        newDifferences: run.differencesNew,
        ...(run.error === null ? {} : { error: run.error }),
      }),
      at,
    );
  }

  lastRun(flowId: string): ReconcileRun | null {
    const row = this.q.lastRun.get(flowId);
    return row === undefined ? null : runOf(row);
  }

  periods(runId: string): ReconcilePeriodResult[] {
    return this.q.periods.all(runId).map((row) => ({
      period: row.period,
      odoo: { count: row.odoo_count, amount: row.odoo_amount },
      console: { count: row.console_count, amount: row.console_amount },
      source: row.source_count === null ? null : { count: row.source_count },
      balanced: row.balanced === 1,
      differences: row.differences,
    }));
  }

  differences(runId: string): ReconcileDifference[] {
    return this.q.differences.all(runId).map((row) => ({
      id: row.id,
      runId: row.run_id,
      period: row.period,
      day: row.day,
      type: row.type,
      targetKey: row.target_key,
      odooId: row.odoo_id,
      sourceId: row.source_id,
      expected: row.expected,
      found: row.found,
      message: row.message,
      exceptionId: row.exception_id,
      open: row.state === 'open' || row.state === 'retrying' || row.state === 'dead',
    }));
  }

  openDifferences(flowId: string): number {
    return this.q.openCount.get(flowId)?.n ?? 0;
  }
}
