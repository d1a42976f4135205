import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { absoluteTime } from '../../app/format-time.js';

export const auditFeatures = tableFeatures({});
const helper = createColumnHelper<typeof auditFeatures, AuditEntry>();

const OUTCOME_LABELS: Record<AuditEntry['outcome'], string> = { ok: 'OK', denied: 'Denied', error: 'Error' };

/** The audit log's columns, in the order the auditors read them. */
export const auditColumns = helper.columns([
  helper.accessor('seq', { header: '#', cell: (info) => info.getValue() }),
  helper.accessor('at', {
    header: 'Time',
    cell: (info) => <time dateTime={info.getValue()}>{absoluteTime(info.getValue())}</time>,
  }),
  helper.accessor('actor', { header: 'Operator' }),
  helper.accessor('action', { header: 'Action', cell: (info) => <code>{info.getValue()}</code> }),
  helper.accessor('target', { header: 'Target', cell: (info) => info.getValue() ?? '—' }),
  helper.accessor('outcome', {
    header: 'Outcome',
    cell: (info) => (
      <span className={`badge outcome-${info.getValue()}`}>{OUTCOME_LABELS[info.getValue()]}</span>
    ),
  }),
  helper.accessor('detail', {
    header: 'Detail',
    // Long details are cut by CSS; the whole text stays readable in the tooltip and to screen readers.
    cell: (info) => (
      <span className="cell-detail" title={info.getValue()}>
        {info.getValue()}
      </span>
    ),
  }),
]);
