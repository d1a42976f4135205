import { AUDIT_OUTCOMES, type AuditOutcome } from '../../../../shared/domain/audit.js';
import type { OperationInput } from '../../../../shared/contract/operations.js';
import { filterInput, type AuditFilter } from '../../../stores/audit-filter.js';

export type ReportInput = OperationInput<'audit.report'>;

const DAY_MS = 24 * 60 * 60 * 1000;
/** A report always covers a period; with none chosen, the last 30 days up to now. */
export const DEFAULT_REPORT_DAYS = 30;

/** The period a report of these filters covers. */
export function reportPeriod(filter: AuditFilter, now: Date): { from: string; to: string } {
  const to = filter.to === '' ? now.toISOString() : filter.to;
  const from =
    filter.from === '' ? new Date(Date.parse(to) - DEFAULT_REPORT_DAYS * DAY_MS).toISOString() : filter.from;
  return { from, to };
}

/** '#/audit-report?from=…&to=…&action=…' for the Audit page's current filters. */
export function reportHash(filter: AuditFilter, now: Date): string {
  const input = { ...filterInput(filter), ...reportPeriod(filter, now) };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (key === 'hideReads') query.set('reads', value === true ? 'hide' : 'show');
    else if (typeof value === 'string') query.set(key, value);
  }
  return `#/audit-report?${query.toString()}`;
}

/** The report's input back from its link, or why the link cannot make one. */
export function reportInputFromHash(
  hash: string,
): { readonly ok: true; readonly input: ReportInput } | { readonly ok: false; readonly message: string } {
  const at = hash.indexOf('?');
  const query = new URLSearchParams(at === -1 ? '' : hash.slice(at + 1));
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)))
    return { ok: false, message: 'This report link names no period. Open it from the Audit log page.' };
  const outcome = query.get('outcome');
  const text = (key: string) => {
    const value = query.get(key)?.trim() ?? '';
    return value === '' ? {} : { [key]: value };
  };
  return {
    ok: true,
    input: {
      from,
      to,
      ...text('action'),
      ...text('actor'),
      ...text('object'),
      ...text('text'),
      ...(AUDIT_OUTCOMES.includes(outcome as AuditOutcome) ? { outcome: outcome as AuditOutcome } : {}),
      hideReads: query.get('reads') !== 'show',
    },
  };
}
