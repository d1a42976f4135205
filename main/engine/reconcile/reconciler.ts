import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { FlowReconcile, ReconcileRun } from '../../../shared/domain/flow-reconcile.js';
import { createFhirConnector } from '../../connectors/fhir/index.js';
import type { FhirSource } from '../../connectors/fhir/fhir-source.js';
import { createOdooConnector, type OdooConnector } from '../../connectors/odoo/index.js';
import { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { SecretReader } from '../../vault/types.js';
import { EngineRequestError } from '../runner/engine-errors.js';
import { FlowsRepo } from '../store/flows-repo.js';
import { describeDifference } from './reconcile-messages.js';
import { ReconcileExceptions } from './reconcile-exceptions.js';
import {
  addDays,
  compareDay,
  daysOf,
  differingDays,
  identityOf,
  lookbackPeriods,
  neverSynced,
  periodEnd,
  totalsDiffer,
  type DayRecord,
  type FoundDifference,
  type Totals,
} from './reconcile-periods.js';
import { ReconcileStore, type DifferenceRow, type PeriodRow } from './reconcile-store.js';

/**
 * Reconciles one flow (issue 12, item 1): per period, Odoo's count and amount sum (one grouped call)
 * against the console's facts (one GROUP BY) and, when the source is FHIR and names a date search
 * parameter, the source's own count (`_summary=count`). Only a differing period is split into days
 * (one more grouped call), and only a differing day is read record by record (bounded), to type each
 * difference; each becomes a reconcile-stage exception, and one no longer found is settled.
 */

export interface ReconcilerDeps {
  readonly db: Database.Database;
  readonly secrets: SecretReader;
  readonly emit: (event: LiveEvent) => void;
  readonly now?: () => Date;
  readonly log?: (message: string) => void;
  /** The Odoo side (tests and the bench may hand one in); default: the flow's target connection. */
  readonly odooFor?: (flow: Flow) => OdooConnector;
}

export interface ReconcileRequest {
  readonly flowId: string;
  readonly trigger: 'manual' | 'schedule';
  readonly requestedBy: string;
}

/** One Odoo day read is bounded: a day beyond this is a configuration problem, not a drill-down. */
const MAX_DAY_RECORDS = 5000;
/** A running reconciliation older than this is taken for dead (its process stopped). */
const STALE_MS = 30 * 60_000;

interface Sides {
  readonly odoo: OdooConnector;
  readonly source: FhirSource | null;
  close(): Promise<void>;
}

export class Reconciler {
  private readonly flows: FlowsRepo;
  private readonly connections: ConnectionsRepo;
  private readonly store: ReconcileStore;
  private readonly exceptions: ReconcileExceptions;

  constructor(private readonly deps: ReconcilerDeps) {
    this.flows = new FlowsRepo(deps.db);
    this.connections = new ConnectionsRepo(deps.db);
    this.store = new ReconcileStore(deps.db);
    this.exceptions = new ReconcileExceptions(deps.db);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** The flow and its settings, or the reason it cannot be reconciled. */
  reconcilable(flowId: string): { flow: Flow; settings: FlowReconcile; model: string } {
    const flow = this.flows.get(flowId);
    if (flow === null) throw new EngineRequestError('not-found', 'That flow does not exist.');
    if (flow.reconcile === undefined)
      throw new EngineRequestError(
        'invalid-input',
        `The flow "${flow.name}" has no reconciliation settings: add them to the flow first.`,
      );
    const model = flow.targetOperation.model;
    if (typeof model !== 'string' || this.connections.get(flow.targetConnectionId)?.settings.kind !== 'odoo')
      throw new EngineRequestError(
        'invalid-input',
        `The flow "${flow.name}" does not write to an Odoo model.`,
      );
    return { flow, settings: flow.reconcile, model };
  }

  async run(request: ReconcileRequest): Promise<ReconcileRun> {
    const { flow, settings, model } = this.reconcilable(request.flowId);
    const startedAt = this.now();
    const run = this.store.start(
      flow.id,
      request.trigger,
      request.requestedBy,
      startedAt.toISOString(),
      new Date(startedAt.getTime() - STALE_MS).toISOString(),
    );
    if (run === null)
      throw new EngineRequestError('conflict', `A reconciliation of "${flow.name}" is running already.`);
    const sides = this.sides(flow, settings);
    const calls = { odoo: 0 };
    try {
      const outcome = await this.compare(flow, settings, model, sides, startedAt, calls);
      const finished = this.commit(run, flow, outcome, calls.odoo);
      if (request.trigger === 'schedule') this.store.auditScheduled(finished, this.now().toISOString());
      this.deps.log?.(
        `reconciliation ${run.id} of ${flow.id}: ${finished.periodsBalanced}/${finished.periods} periods in balance, ${finished.differencesFound} differences (${finished.differencesNew} new)`,
      );
      return finished;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const failed = this.store.finish(run.id, this.now().toISOString(), {
        state: 'failed',
        periods: 0,
        periodsBalanced: 0,
        found: 0,
        fresh: 0,
        odooCalls: calls.odoo,
        error: message.slice(0, 2000),
      });
      if (request.trigger === 'schedule') this.store.auditScheduled(failed, this.now().toISOString());
      this.emit(failed, 0);
      return failed;
    } finally {
      await sides.close().catch(() => undefined);
    }
  }

  private sides(flow: Flow, settings: FlowReconcile): Sides {
    const { secrets } = this.deps;
    let odoo: OdooConnector;
    let owned = false;
    if (this.deps.odooFor !== undefined) odoo = this.deps.odooFor(flow);
    else {
      const target = this.connections.get(flow.targetConnectionId);
      if (target?.settings.kind !== 'odoo')
        throw new EngineRequestError('invalid-input', 'Not an Odoo target.');
      odoo = createOdooConnector({ connectionId: target.id, settings: target.settings, secrets });
      owned = true;
    }
    const sourceConnection = this.connections.get(flow.sourceConnectionId);
    const source =
      settings.sourceDateParam !== undefined && sourceConnection?.settings.kind === 'fhir'
        ? createFhirConnector(sourceConnection.id, sourceConnection.settings, secrets).source
        : null;
    return { odoo, source, close: () => (owned ? odoo.close() : Promise.resolve()) };
  }

  private async compare(
    flow: Flow,
    settings: FlowReconcile,
    model: string,
    sides: Sides,
    now: Date,
    calls: { odoo: number },
  ): Promise<{
    periods: PeriodRow[];
    found: (FoundDifference & { day: string; period: string })[];
    from: string;
    to: string;
  }> {
    const { odoo, source } = sides;
    const periods = lookbackPeriods(now, settings.period, settings.lookbackPeriods);
    const from = periods[0] ?? '';
    const to = periodEnd(periods.at(-1) ?? from, settings.period);
    const scope = (a: string, b: string): unknown[] => [
      ...settings.targetDomain,
      [settings.targetDateField, '>=', a],
      [settings.targetDateField, '<', b],
    ];
    const grouped = async (
      a: string,
      b: string,
      granularity: 'day' | 'month',
    ): Promise<Map<string, Totals>> => {
      calls.odoo += 1;
      return odoo.groupTotals({
        model,
        domain: scope(a, b),
        dateField: settings.targetDateField,
        granularity,
        ...(settings.targetAmountField === undefined ? {} : { amountField: settings.targetAmountField }),
      });
    };
    const count = (a: string, b: string): Promise<number> =>
      (source as FhirSource).countInPeriod(flow.sourceSelector, settings.sourceDateParam ?? '', a, b);

    const odooTotals = await grouped(from, to, settings.period);
    const consoleTotals = this.store.totals(flow.id, from, to, settings.period);
    const rows: PeriodRow[] = [];
    const found: (FoundDifference & { day: string; period: string })[] = [];
    for (const period of periods) {
      const end = periodEnd(period, settings.period);
      const odooP = odooTotals.get(period) ?? { count: 0, amount: settings.targetAmountField ? 0 : null };
      const consoleP = consoleTotals.get(period) ?? { count: 0, amount: settings.payloadAmount ? 0 : null };
      const sourceP = source === null ? null : await count(period, end);
      const before = found.length;
      const sourceAhead = sourceP !== null && sourceP > consoleP.count;
      if (totalsDiffer(odooP, consoleP) || sourceAhead) {
        const days = daysOf(period, settings.period);
        const single = settings.period === 'day';
        const dayOdoo = single ? new Map([[period, odooP]]) : await grouped(period, end, 'day');
        const dayConsole = single
          ? new Map([[period, consoleP]])
          : this.store.totals(flow.id, period, end, 'day');
        let daySource: Map<string, number> | null = null;
        if (sourceAhead) {
          daySource = new Map();
          for (const day of days) daySource.set(day, single ? sourceP : await count(day, addDays(day, 1)));
        }
        for (const day of differingDays(days, dayOdoo, dayConsole, daySource)) {
          const at = { day, period };
          if (totalsDiffer(dayOdoo.get(day), dayConsole.get(day))) {
            calls.odoo += 1;
            const records = await this.readDay(odoo, model, settings, scope(day, addDays(day, 1)));
            const keys = this.store.writtenKeys(
              flow.id,
              records.flatMap((record) => (record.keyValue === null ? [] : [record.keyValue])),
            );
            for (const difference of compareDay(this.store.dayFacts(flow.id, day), records, keys))
              found.push({ ...difference, ...at });
          }
          if (daySource !== null && (daySource.get(day) ?? 0) > (dayConsole.get(day)?.count ?? 0)) {
            const ids = await (source as FhirSource).idsInPeriod(
              flow.sourceSelector,
              settings.sourceDateParam ?? '',
              day,
              addDays(day, 1),
            );
            for (const difference of neverSynced(ids, this.store.knownSources(flow.id, ids)))
              found.push({ ...difference, ...at });
          }
        }
      }
      const differences = found.length - before;
      rows.push({
        period,
        odoo: odooP,
        console: consoleP,
        source: sourceP,
        balanced: differences === 0,
        differences,
      });
    }
    return { periods: rows, found, from, to };
  }

  private async readDay(
    odoo: OdooConnector,
    model: string,
    settings: FlowReconcile,
    domain: readonly unknown[],
  ): Promise<DayRecord[]> {
    const fields = ['write_date', settings.targetDateField];
    if (settings.targetAmountField !== undefined) fields.push(settings.targetAmountField);
    if (settings.keyField !== undefined) fields.push(settings.keyField);
    const rows = await odoo.searchReadBounded(model, domain, fields, MAX_DAY_RECORDS + 1);
    return rows.map((row) => {
      const amount = settings.targetAmountField === undefined ? null : row[settings.targetAmountField];
      const key = settings.keyField === undefined ? null : row[settings.keyField];
      return {
        id: Number(row.id),
        writeDate: typeof row.write_date === 'string' ? row.write_date : '',
        amount: typeof amount === 'number' ? amount : settings.targetAmountField === undefined ? null : 0,
        keyValue: typeof key === 'string' || typeof key === 'number' ? String(key) : null,
      };
    });
  }

  /** Records the run, opens the new differences' exceptions and settles the gone ones: one transaction. */
  private commit(
    run: ReconcileRun,
    flow: Flow,
    outcome: Awaited<ReturnType<Reconciler['compare']>>,
    odooCalls: number,
  ): ReconcileRun {
    const at = this.now().toISOString();
    const model = String(flow.targetOperation.model);
    const keyField = flow.reconcile?.keyField ?? null;
    const { finished, opened, settled } = this.deps.db
      .transaction(() => {
        const rows: DifferenceRow[] = [];
        const identities = new Set<string>();
        for (const difference of outcome.found) {
          const identity = identityOf(difference);
          identities.add(identity);
          const message = describeDifference(difference, { model, keyField });
          const { exceptionId, isNew } = this.exceptions.open({
            flowId: flow.id,
            runId: run.id,
            identity,
            type: difference.type,
            day: difference.day,
            targetKey: difference.targetKey,
            message,
            at,
          });
          rows.push({ ...difference, identity, message, exceptionId, isNew });
        }
        const settledIds = this.exceptions.settle(flow.id, run.id, outcome.from, outcome.to, identities, at);
        this.store.record(run.id, flow.id, outcome.periods, rows);
        const balanced = outcome.periods.filter((period) => period.balanced).length;
        const done = this.store.finish(run.id, at, {
          state: rows.length === 0 ? 'balanced' : 'differences',
          periods: outcome.periods.length,
          periodsBalanced: balanced,
          found: rows.length,
          fresh: rows.filter((row) => row.isNew).length,
          odooCalls,
          error: null,
        });
        return {
          finished: done,
          opened: rows
            .filter((row) => row.isNew)
            .flatMap((row) => (row.exceptionId === null ? [] : [row.exceptionId])),
          settled: settledIds,
        };
      })
      .immediate();
    if (opened.length > 0)
      this.deps.emit({ type: 'exceptions.changed', flowId: flow.id, ids: opened, state: 'open' });
    if (settled.length > 0)
      this.deps.emit({ type: 'exceptions.changed', flowId: flow.id, ids: settled, state: 'resolved' });
    this.emit(finished, finished.differencesNew);
    return finished;
  }

  private emit(run: ReconcileRun, differencesNew: number): void {
    this.deps.emit({
      type: 'reconcile.changed',
      flowId: run.flowId,
      runId: run.id,
      state: run.state,
      differencesNew,
    });
  }
}
