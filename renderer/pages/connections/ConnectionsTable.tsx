import { useTable } from '@tanstack/react-table';
import { Button } from 'react-aria-components';
import type { Connection } from '../../../shared/domain/connection.js';
import { connectionColumns, connectionFeatures } from './connection-columns.js';

/** Which row actions the operator's roles allow (the server checks again). */
export interface ConnectionActions {
  readonly edit: boolean;
  readonly setSecret: boolean;
  readonly delete: boolean;
  readonly test: boolean;
}

interface ConnectionsTableProps {
  readonly connections: readonly Connection[];
  readonly allowed: ConnectionActions;
  readonly onEdit: (connection: Connection) => void;
  readonly onSetSecret: (connection: Connection) => void;
  readonly onDelete: (connection: Connection) => void;
  readonly onTest: (connection: Connection) => void;
  /** Shows a webhook-in connection's address and signing recipe (every role may read it). */
  readonly onShowInbound?: (connection: Connection) => void;
}

/** The connections list; action buttons appear only for operators allowed to use them. */
export function ConnectionsTable({
  connections,
  allowed,
  onEdit,
  onSetSecret,
  onDelete,
  onTest,
  onShowInbound,
}: ConnectionsTableProps) {
  const table = useTable({
    features: connectionFeatures,
    columns: connectionColumns,
    data: connections,
  });
  const { edit: canEdit, setSecret: canSetSecret, delete: canDelete, test: canTest } = allowed;
  const hasInbound = onShowInbound !== undefined && connections.some((entry) => entry.kind === 'webhook-in');
  const hasActions = canEdit || canSetSecret || canDelete || canTest || hasInbound;

  return (
    <div className="table-scroll">
      <table className="data-table">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
              {hasActions && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => {
            const connection = row.original;
            return (
              <tr key={connection.id}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
                {hasActions && (
                  <td className="row-actions">
                    {onShowInbound !== undefined && connection.kind === 'webhook-in' && (
                      <Button
                        className="button button-small"
                        aria-label={`Address and signing for ${connection.name}`}
                        onPress={() => onShowInbound(connection)}
                      >
                        Address
                      </Button>
                    )}
                    {canTest && (
                      <Button
                        className="button button-small"
                        aria-label={`Test ${connection.name}`}
                        onPress={() => onTest(connection)}
                      >
                        Test
                      </Button>
                    )}
                    {canEdit && (
                      <Button
                        className="button button-small"
                        aria-label={`Edit ${connection.name}`}
                        onPress={() => onEdit(connection)}
                      >
                        Edit
                      </Button>
                    )}
                    {canSetSecret && connection.kind !== 'csv-drop' && (
                      <Button
                        className="button button-small"
                        aria-label={`Set secret for ${connection.name}`}
                        onPress={() => onSetSecret(connection)}
                      >
                        Set secret
                      </Button>
                    )}
                    {canDelete && (
                      <Button
                        className="button button-small button-danger"
                        aria-label={`Delete ${connection.name}`}
                        onPress={() => onDelete(connection)}
                      >
                        Delete
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
