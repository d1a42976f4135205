import type { ReconcileDifferenceType, ReconcilePeriod } from '../../../shared/domain/flow-reconcile.js';

/**
 * The pure part of a reconciliation (issue 12): which periods to look at, which of them differ, how
 * a period splits into days, and what type each record-level difference of a differing day has.
 * Periods and days are named by their first day (YYYY-MM-DD, UTC).
 */

export interface Totals {
  readonly count: number;
  readonly amount: number | null;
  /**
   * Odoo: the latest `write_date` of the period's records; the console: the latest instant it wrote
   * one. Odoo writing after the console did means an edit or a hand-made record, even where counts
   * and sums happen to balance (a deletion and a copy of the same amount).
   */
  readonly lastWrite?: string | null;
}

/** Sums are compared to the cent per record: float sums of many amounts differ in the last bits. */
export function amountsDiffer(a: number | null, b: number | null, records: number): boolean {
  if (a === null || b === null) return false;
  return Math.abs(a - b) > 0.005 * Math.max(1, records);
}

export function totalsDiffer(odoo: Totals | undefined, console_: Totals | undefined): boolean {
  const left: Totals = odoo ?? { count: 0, amount: 0 };
  const right: Totals = console_ ?? { count: 0, amount: 0 };
  return (
    left.count !== right.count ||
    amountsDiffer(left.amount, right.amount, Math.max(left.count, right.count)) ||
    (typeof left.lastWrite === 'string' &&
      typeof right.lastWrite === 'string' &&
      changedAfter(left.lastWrite, right.lastWrite))
  );
}

function utc(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function dayText(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + days);
  return dayText(date);
}

/** The first day of the period `day` lies in. */
export function periodOf(day: string, period: ReconcilePeriod): string {
  return period === 'day' ? day.slice(0, 10) : `${day.slice(0, 7)}-01`;
}

/** The first day after the period that starts on `start`. */
export function periodEnd(start: string, period: ReconcilePeriod): string {
  if (period === 'day') return addDays(start, 1);
  const date = utc(start);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return dayText(date);
}

/** The `count` periods up to and including the one `now` lies in, oldest first. */
export function lookbackPeriods(now: Date, period: ReconcilePeriod, count: number): string[] {
  const current = periodOf(dayText(now), period);
  const periods: string[] = [];
  let start = current;
  for (let index = 0; index < count; index += 1) {
    periods.unshift(start);
    if (period === 'day') start = addDays(start, -1);
    else {
      const date = utc(start);
      date.setUTCMonth(date.getUTCMonth() - 1);
      start = dayText(date);
    }
  }
  return periods;
}

/** The days of a period (a day period is its own only day). */
export function daysOf(start: string, period: ReconcilePeriod): string[] {
  const end = periodEnd(start, period);
  const days: string[] = [];
  for (let day = start; day < end; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * The days of a differing period whose own totals differ: Odoo's against the console's facts, and
 * the source's count (when it can count) against the facts' count — a source with more records
 * than the console wrote hides an event that never synced (or one that failed, known already).
 */
export function differingDays(
  days: readonly string[],
  odoo: ReadonlyMap<string, Totals>,
  console_: ReadonlyMap<string, Totals>,
  source: ReadonlyMap<string, number> | null,
): string[] {
  return days.filter(
    (day) =>
      totalsDiffer(odoo.get(day), console_.get(day)) ||
      (source !== null && (source.get(day) ?? 0) > (console_.get(day)?.count ?? 0)),
  );
}

/** One console fact of a day (what the flow wrote). */
export interface DayFact {
  readonly targetKey: string;
  readonly targetId: string;
  readonly sourceId: string;
  readonly amount: number | null;
  readonly keyValue: string | null;
  /** ISO instant the console committed the write. */
  readonly writtenAt: string;
}

/** One Odoo record of a day, as the drill-down reads it. */
export interface DayRecord {
  readonly id: number;
  /** Odoo's `YYYY-MM-DD HH:MM:SS` (UTC). */
  readonly writeDate: string;
  readonly amount: number | null;
  readonly keyValue: string | null;
}

export interface FoundDifference {
  readonly type: ReconcileDifferenceType;
  readonly targetKey: string | null;
  readonly odooId: number | null;
  readonly sourceId: string | null;
  readonly expected: string | null;
  readonly found: string | null;
}

/** Odoo's write_date (UTC, to the second) is later than the second the console wrote the record. */
export function changedAfter(odooWriteDate: string, writtenAt: string): boolean {
  const odoo = Date.parse(`${odooWriteDate.replace(' ', 'T')}Z`);
  const console_ = Math.floor(Date.parse(writtenAt) / 1000) * 1000;
  return Number.isFinite(odoo) && odoo > console_;
}

function money(value: number | null): string | null {
  return value === null ? null : value.toFixed(2);
}

/**
 * Compares one day's Odoo records with the console's facts of that day, by Odoo id:
 * a fact without its record is missing in Odoo; a record without a fact is a duplicate when it
 * carries a business key the flow wrote (to another record), extra otherwise; a record whose
 * amount is not the fact's changed in Odoo behind the console's back when Odoo wrote it after the
 * console did, and differs otherwise (the console's own write was wrong, or rounded).
 * `knownKeys`: business key → target id, for every fact of the flow (a duplicate's original may lie
 * on another day).
 */
export function compareDay(
  facts: readonly DayFact[],
  records: readonly DayRecord[],
  knownKeys: ReadonlyMap<string, string>,
): FoundDifference[] {
  const differences: FoundDifference[] = [];
  const byId = new Map(records.map((record) => [String(record.id), record]));
  for (const fact of facts) {
    const record = byId.get(fact.targetId);
    if (record === undefined) {
      differences.push({
        type: 'missing-in-odoo',
        targetKey: fact.targetKey,
        odooId: Number(fact.targetId),
        sourceId: fact.sourceId,
        expected: money(fact.amount),
        found: null,
      });
      continue;
    }
    if (amountsDiffer(fact.amount, record.amount, 1)) {
      differences.push({
        type: changedAfter(record.writeDate, fact.writtenAt) ? 'changed-in-odoo' : 'amount-differs',
        targetKey: fact.targetKey,
        odooId: record.id,
        sourceId: fact.sourceId,
        expected: money(fact.amount),
        found: money(record.amount),
      });
    }
  }
  const written = new Set(facts.map((fact) => fact.targetId));
  for (const record of records) {
    if (written.has(String(record.id))) continue;
    const original = record.keyValue === null ? undefined : knownKeys.get(record.keyValue);
    const duplicate = original !== undefined && original !== String(record.id);
    differences.push({
      type: duplicate ? 'duplicate' : 'extra-in-odoo',
      targetKey: null,
      odooId: record.id,
      sourceId: null,
      expected: duplicate ? `only Odoo record ${original} with ${record.keyValue}` : null,
      found: money(record.amount),
    });
  }
  return differences;
}

/** The source's ids of a day that the console never read (neither wrote nor failed). */
export function neverSynced(sourceIds: readonly string[], known: ReadonlySet<string>): FoundDifference[] {
  return sourceIds
    .filter((id) => !known.has(id))
    .map((id) => ({
      type: 'never-synced' as const,
      targetKey: null,
      odooId: null,
      sourceId: id,
      expected: null,
      found: null,
    }));
}

/** Names a difference across runs: the same one found again is the same exception. */
export function identityOf(difference: FoundDifference): string {
  const subject =
    difference.targetKey ??
    (difference.odooId !== null ? `odoo:${difference.odooId}` : `source:${difference.sourceId ?? ''}`);
  return `${difference.type}:${subject}`;
}
