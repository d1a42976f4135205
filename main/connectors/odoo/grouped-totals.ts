import { ConnectorError } from '../types.js';
import type { OrmCaller } from './orm-caller.js';

/**
 * Counts and amount sums per period, grouped by Odoo itself (one call, whatever the number of
 * records): the reconciliation's first look (issue 12). Odoo 17/18 answer `read_group(domain,
 * fields, groupby, lazy=False)`; Odoo 19 deprecates it for `formatted_read_group(domain, groupby,
 * aggregates)`, which it is asked there. Both shapes were recorded against the real servers (see
 * test/peers/odoo/read-group.ts); a period is keyed by its first day (YYYY-MM-DD, UTC).
 */

export type GroupGranularity = 'day' | 'month';

export interface GroupTotalsRequest {
  readonly model: string;
  readonly domain: readonly unknown[];
  readonly dateField: string;
  readonly granularity: GroupGranularity;
  /** Summed per group; absent: counts only. */
  readonly amountField?: string;
  readonly signal?: AbortSignal;
}

export interface GroupTotals {
  readonly count: number;
  readonly amount: number | null;
  /** The group's latest `write_date` (UTC, `YYYY-MM-DD HH:MM:SS`): an edit or a hand-made record shows here. */
  readonly lastWrite: string | null;
}

/** The first Odoo series that answers formatted_read_group (and deprecates read_group). */
export const FIRST_FORMATTED_READ_GROUP_MAJOR = 19;

/** Asked of every group besides count and sum: the last time Odoo wrote any of its records. */
const LAST_WRITE = 'write_date:max';

function bad(message: string): ConnectorError {
  return new ConnectorError('permanent', 'odoo.bad-answer', `Grouped totals: ${message}`);
}

function rowsOf(answer: unknown): Record<string, unknown>[] {
  if (!Array.isArray(answer) || !answer.every((row) => typeof row === 'object' && row !== null))
    throw bad('the answer is not a list of groups');
  return answer as Record<string, unknown>[];
}

function numberOf(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value === false || value === null) return 0;
  throw bad(`${what} is not a number`);
}

/** "2026-01-01" or "2026-01-01 00:00:00" → "2026-01-01". */
function dayOf(value: unknown): string | null {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

export async function groupTotals(
  call: OrmCaller,
  major: number,
  request: GroupTotalsRequest,
): Promise<Map<string, GroupTotals>> {
  const spec = `${request.dateField}:${request.granularity}`;
  const amountSpec = request.amountField === undefined ? null : `${request.amountField}:sum`;
  const totals = new Map<string, GroupTotals>();
  // Records without a date fall in a group valued false: they belong to no period.
  const add = (period: string | null, count: number, amount: number | null, lastWrite: unknown): void => {
    if (period !== null)
      totals.set(period, { count, amount, lastWrite: typeof lastWrite === 'string' ? lastWrite : null });
  };
  if (major >= FIRST_FORMATTED_READ_GROUP_MAJOR) {
    const answer = await call(
      request.model,
      'formatted_read_group',
      [request.domain],
      {
        groupby: [spec],
        aggregates: amountSpec === null ? ['__count', LAST_WRITE] : ['__count', amountSpec, LAST_WRITE],
      },
      request.signal,
    );
    for (const row of rowsOf(answer)) {
      const value = row[spec];
      add(
        Array.isArray(value) ? dayOf(value[0]) : null,
        numberOf(row.__count, '__count'),
        amountSpec === null ? null : numberOf(row[amountSpec], amountSpec),
        row[LAST_WRITE],
      );
    }
    return totals;
  }
  const answer = await call(
    request.model,
    'read_group',
    [request.domain, amountSpec === null ? [LAST_WRITE] : [amountSpec, LAST_WRITE], [spec]],
    { lazy: false },
    request.signal,
  );
  for (const row of rowsOf(answer)) {
    // The label ("January 2026") is for people; the range says which period it is.
    const range = (row.__range as Record<string, { from?: unknown } | false> | undefined)?.[spec];
    add(
      range === undefined || range === false ? null : dayOf(range.from),
      numberOf(row.__count, '__count'),
      request.amountField === undefined ? null : numberOf(row[request.amountField], request.amountField),
      row.write_date,
    );
  }
  return totals;
}

/** One bounded read of the records of a drill-down (a few differing days, never a whole table). */
export async function searchReadBounded(
  call: OrmCaller,
  model: string,
  domain: readonly unknown[],
  fields: readonly string[],
  limit: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const answer = await call(model, 'search_read', [domain], { fields, limit, order: 'id' }, signal);
  const rows = rowsOf(answer);
  if (rows.length >= limit)
    throw new ConnectorError(
      'permanent',
      'odoo.too-many-records',
      `More than ${limit - 1} ${model} records in one day of a reconciliation; narrow the flow's target domain.`,
    );
  return rows;
}
