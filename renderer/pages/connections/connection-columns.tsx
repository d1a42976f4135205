import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import { CONNECTION_KIND_LABELS, type Connection } from '../../../shared/domain/connection.js';
import { absoluteTime, relativeTime } from '../../app/format-time.js';
import { CredentialBadge } from '../../components/CredentialBadge.js';
import { connectionTarget, usesPlainHttp } from './connection-target.js';

export const connectionFeatures = tableFeatures({});
const helper = createColumnHelper<typeof connectionFeatures, Connection>();

/** "Set · changed 5 minutes ago" or "Not set": the console never learns more about a secret. */
export function secretStatusText(connection: Connection, now: Date = new Date()): string {
  if (connection.kind === 'csv-drop') return 'Not needed';
  const { isSet, changedAt } = connection.secret;
  if (!isSet) return 'Not set';
  return changedAt === null ? 'Set' : `Set · changed ${relativeTime(changedAt, now)}`;
}

/** The data columns of the Connections table; the per-row action buttons are rendered by the table. */
export const connectionColumns = helper.columns([
  helper.accessor('name', { header: 'Name', cell: (info) => <strong>{info.getValue()}</strong> }),
  helper.accessor('kind', { header: 'Kind', cell: (info) => CONNECTION_KIND_LABELS[info.getValue()] }),
  helper.display({
    id: 'target',
    header: 'Target',
    cell: ({ row }) => (
      <span className="cell-target">
        <code>{connectionTarget(row.original.settings)}</code>
        {usesPlainHttp(row.original.settings) && <span className="badge badge-warning">plain HTTP</span>}
      </span>
    ),
  }),
  helper.display({
    id: 'secret',
    header: 'Secret',
    cell: ({ row }) => (
      <span className="cell-secret">
        <span className={row.original.secret.isSet ? 'secret-set' : 'secret-unset'}>
          {secretStatusText(row.original)}
        </span>
        <CredentialBadge status={row.original.credentials} />
      </span>
    ),
  }),
  helper.accessor('updatedAt', {
    header: 'Updated',
    cell: (info) => (
      <time dateTime={info.getValue()} title={absoluteTime(info.getValue())}>
        {relativeTime(info.getValue())}
      </time>
    ),
  }),
]);
