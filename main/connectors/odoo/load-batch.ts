import { z } from 'zod';
import type { ConnectorErrorInfo, TargetWrite } from '../types.js';

/**
 * Pure helpers for Odoo's `load(fields, rows)`: turning records into the import table (external ID
 * in the `id` column, relational columns as `field/id`, one2many lines in the following rows with
 * empty parent columns) and reading its answer back per record.
 *
 * One2many lines always get an external id (`<parent>_<field>_<n>` unless the payload names one):
 * Odoo appends lines that have none, so re-sending an invoice would otherwise duplicate its lines.
 * A re-send with fewer lines leaves the extra old lines in place (Odoo's import never deletes).
 */

export interface LoadTable {
  readonly fields: string[];
  readonly rows: unknown[][];
  /** Index of the first row of each record, in record order. */
  readonly recordStartRows: number[];
}

type Payload = Readonly<Record<string, unknown>>;

function isLineList(value: unknown): value is Payload[] {
  return (
    Array.isArray(value) &&
    value.every((line) => typeof line === 'object' && line !== null && !Array.isArray(line))
  );
}

/** Import values are text in Odoo's importer: booleans become 'true'/'false', nothing becomes ''. */
function cell(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function buildLoadTable(
  writes: readonly { readonly externalId: string; readonly payload: Payload }[],
): LoadTable {
  const scalarColumns: string[] = [];
  const lineColumns = new Map<string, string[]>();
  for (const { payload } of writes) {
    for (const [key, value] of Object.entries(payload)) {
      if (key === 'id') continue;
      if (isLineList(value)) {
        const sub = lineColumns.get(key) ?? ['id'];
        for (const line of value)
          for (const subKey of Object.keys(line)) if (!sub.includes(subKey)) sub.push(subKey);
        lineColumns.set(key, sub);
      } else if (!scalarColumns.includes(key)) {
        scalarColumns.push(key);
      }
    }
  }
  const fields = ['id', ...scalarColumns];
  for (const [key, sub] of lineColumns) for (const subKey of sub) fields.push(`${key}/${subKey}`);

  const rows: unknown[][] = [];
  const recordStartRows: number[] = [];
  for (const { externalId, payload } of writes) {
    recordStartRows.push(rows.length);
    const lineCount = Math.max(
      1,
      ...[...lineColumns.keys()].map((key) => {
        const lines = payload[key];
        return isLineList(lines) ? lines.length : 0;
      }),
    );
    for (let lineIndex = 0; lineIndex < lineCount; lineIndex += 1) {
      const first = lineIndex === 0;
      const row: unknown[] = [
        first ? externalId : '',
        ...scalarColumns.map((key) => (first ? cell(payload[key]) : '')),
      ];
      for (const [key, sub] of lineColumns) {
        const lines = payload[key];
        const line = isLineList(lines) ? lines[lineIndex] : undefined;
        for (const subKey of sub) {
          if (line === undefined) row.push('');
          else if (subKey === 'id') row.push(line.id ?? `${externalId}_${key}_${lineIndex + 1}`);
          else row.push(cell(line[subKey]));
        }
      }
      rows.push(row);
    }
  }
  return { fields, rows, recordStartRows };
}

const loadMessageSchema = z.object({
  type: z.string(),
  message: z.string(),
  record: z.number().int().optional(),
  rows: z.object({ from: z.number().int(), to: z.number().int() }).optional(),
  field: z.string().optional(),
});

export const loadResultSchema = z.object({
  ids: z.union([z.array(z.number().int()), z.literal(false)]),
  messages: z.array(loadMessageSchema),
  nextrow: z.number().int().optional(),
});
export type LoadResult = z.infer<typeof loadResultSchema>;
export type LoadMessage = z.infer<typeof loadMessageSchema>;

/** Which record (by index into the batch) a row-level message is about, or null when it names none. */
export function recordOfMessage(message: LoadMessage, recordStartRows: readonly number[]): number | null {
  if (message.rows !== undefined) {
    const row = message.rows.from;
    for (let index = recordStartRows.length - 1; index >= 0; index -= 1) {
      const start = recordStartRows[index];
      if (start !== undefined && start <= row) return index;
    }
  }
  if (message.record !== undefined && message.record >= 0 && message.record < recordStartRows.length) {
    return message.record;
  }
  return null;
}

/**
 * PostgreSQL's answers to two transactions touching the same rows, as `load` reports them per row
 * (Odoo catches them in the row's savepoint, so they never become a call error that Odoo's own RPC
 * retry would handle): overlapping loads of the same records, e.g. a killed or timed-out request
 * still running in Odoo plus its retry, answer "could not serialize access due to concurrent
 * update". The data is fine; the same rows load once the other transaction is done.
 */
const CONCURRENCY_MESSAGES = [
  /could not serialize access/i,
  /deadlock detected/i,
  /could not obtain lock on row/i,
];

export function isConcurrencyMessage(text: string): boolean {
  return CONCURRENCY_MESSAGES.some((pattern) => pattern.test(text));
}

export function rowErrorInfo(message: LoadMessage): ConnectorErrorInfo {
  const text = message.message.trim();
  const located = message.field === undefined ? text : `${message.field}: ${text}`;
  if (isConcurrencyMessage(text)) return { class: 'transient', code: 'odoo.concurrency', message: located };
  // load reports a missing access right per row too ("You are not allowed to create 'Contact'…"):
  // the same authorization problem as that AccessError from a call (see accessErrorInfo).
  if (text.startsWith('You are not allowed to '))
    return { class: 'authentication', code: 'odoo.AccessError', message: located };
  const code = text.startsWith('No matching record found for') ? 'odoo.unknown-reference' : 'odoo.load-row';
  return { class: 'permanent', code, message: located };
}

/** Errors per record index from a rejected load; an empty map means Odoo named no row. */
export function rowErrors(
  result: LoadResult,
  recordStartRows: readonly number[],
): Map<number, ConnectorErrorInfo> {
  const errors = new Map<number, ConnectorErrorInfo>();
  for (const message of result.messages) {
    if (message.type !== 'error') continue;
    const index = recordOfMessage(message, recordStartRows);
    if (index === null) continue;
    const previous = errors.get(index);
    const next = rowErrorInfo(message);
    // A record with a real data error and a concurrency message needs the data fixed: the
    // permanent class wins, so it is not retried in vain.
    const kept = previous === undefined || previous.class === 'transient' ? next : previous;
    errors.set(
      index,
      previous === undefined ? next : { ...kept, message: `${previous.message}; ${next.message}` },
    );
  }
  return errors;
}

/** Convenience for callers holding TargetWrites with already-qualified keys. */
export function tableForWrites(writes: readonly TargetWrite[]): LoadTable {
  return buildLoadTable(writes.map((write) => ({ externalId: write.key, payload: write.payload })));
}
