import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { AuditEntry, AuditObject } from '../../../shared/domain/audit.js';
import { absoluteTime } from '../../app/format-time.js';
import { KIND_LABELS, targetObject } from './audit-names.js';

export const auditFeatures = tableFeatures({});
const helper = createColumnHelper<typeof auditFeatures, AuditEntry>();

const OUTCOME_LABELS: Record<AuditEntry['outcome'], string> = { ok: 'OK', denied: 'Denied', error: 'Error' };

/** The target's name with its kind; the raw id stays in the tooltip (and muted, for copying). */
function TargetCell({
  target,
  objects,
}: {
  target: string | null;
  objects: Readonly<Record<string, AuditObject>>;
}) {
  if (target === null) return <>—</>;
  const named = targetObject(target, objects);
  if (named === null) return <span className="cell-id">{target}</span>;
  return (
    <span className="cell-target" title={`${named.object.name} (${target})`}>
      <span className="muted">{KIND_LABELS[named.object.kind]}</span> {named.object.name}
      <span className="muted cell-id"> {target}</span>
    </span>
  );
}

/** The audit log's columns, in the order the auditors read them (targets named from `objects`). */
export function auditColumns(objects: Readonly<Record<string, AuditObject>>) {
  return helper.columns([
    // The cell itself (with the expand button) is drawn by AuditTable.
    helper.accessor('seq', { header: '#', cell: (info) => info.getValue() }),
    helper.accessor('at', {
      header: 'Time',
      cell: (info) => <time dateTime={info.getValue()}>{absoluteTime(info.getValue())}</time>,
    }),
    helper.accessor('actor', {
      header: 'Operator',
      // The display name, with the username the filter takes beside it.
      cell: (info) => {
        const name = objects[info.getValue()]?.name;
        return name === undefined || name === info.getValue() ? (
          info.getValue()
        ) : (
          <>
            {name} <span className="muted cell-id">{info.getValue()}</span>
          </>
        );
      },
    }),
    helper.accessor('action', { header: 'Action', cell: (info) => <code>{info.getValue()}</code> }),
    helper.accessor('target', {
      header: 'Target',
      cell: (info) => <TargetCell target={info.getValue()} objects={objects} />,
    }),
    helper.accessor('outcome', {
      header: 'Outcome',
      cell: (info) => (
        <span className={`badge outcome-${info.getValue()}`}>{OUTCOME_LABELS[info.getValue()]}</span>
      ),
    }),
    helper.accessor('detail', {
      header: 'Detail',
      // Long details are cut by CSS; the row's expanded view shows all of it, with names.
      cell: (info) => (
        <span className="cell-detail" title={info.getValue()}>
          {info.getValue()}
        </span>
      ),
    }),
  ]);
}
