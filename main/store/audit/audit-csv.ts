import type { AuditEntry, AuditObject } from '../../../shared/domain/audit.js';

export const AUDIT_CSV_HEADER = [
  'seq',
  'at',
  'operator',
  'action',
  'object',
  'target',
  'outcome',
  'detail',
  'hash',
];

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled.
 *
 * Formula injection: an auditor opens the export in a spreadsheet, and a cell that starts with
 * = + - @ (or a tab or CR, which some spreadsheets skip before looking for those) is run as a
 * formula there — `=HYPERLINK(...)` in a record name or a refused input would act on the auditor's
 * machine. Such a cell gets a leading apostrophe, which spreadsheets show as text and do not run.
 * The export is for people; the hash chain is verified on the store, not on these cells.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The audit rows as CSV lines; `object` is the name of what the target names, when known. */
export function auditCsvLines(
  entries: readonly AuditEntry[],
  objects: Readonly<Record<string, AuditObject>>,
  withHeader: boolean,
): string {
  const lines = entries.map((entry) =>
    csvLine([
      entry.seq,
      entry.at,
      entry.actor,
      entry.action,
      entry.target === null ? null : (objects[entry.target]?.name ?? null),
      entry.target,
      entry.outcome,
      entry.detail,
      entry.hash,
    ]),
  );
  return (withHeader ? csvLine(AUDIT_CSV_HEADER) : '') + lines.join('');
}
