import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { ROLE_LABELS } from '../../../shared/contract/roles.js';
import type { Operator } from '../../../shared/domain/operator.js';
import { useOps } from '../../app/client-context.js';
import { absoluteTime, relativeTime } from '../../app/format-time.js';
import { Alert } from '../../components/Alert.js';
import { operatorsStore } from '../../stores/operators-store.js';
import { EditOperatorDialog } from './EditOperatorDialog.js';
import { NewOperatorDialog } from './NewOperatorDialog.js';
import { ResetPasswordDialog } from './ResetPasswordDialog.js';

type OpenDialog =
  | { readonly kind: 'none' }
  | { readonly kind: 'new' }
  | { readonly kind: 'edit' | 'reset'; readonly operator: Operator };

/** Operator accounts and their roles (administrators only; the server refuses everyone else). */
export function OperatorsPage() {
  const ops = useOps();
  const { items, loading, loaded, error } = useStore(operatorsStore);
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const close = () => setDialog({ kind: 'none' });

  useEffect(() => {
    void operatorsStore.getState().load(ops);
  }, [ops]);

  return (
    <section className="page" aria-labelledby="operators-heading">
      <header className="page-header">
        <h1 id="operators-heading">Operators</h1>
        <Button className="button button-primary" onPress={() => setDialog({ kind: 'new' })}>
          New operator
        </Button>
      </header>
      {error !== null && <Alert tone="error">Could not load the operators: {error}</Alert>}
      {!loaded && loading && <p className="empty">Loading operators…</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Display name</th>
                <th scope="col">Roles</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((operator) => (
                <tr key={operator.username}>
                  <td>
                    <strong>{operator.username}</strong>
                  </td>
                  <td>{operator.displayName}</td>
                  <td>{operator.roles.map((role) => ROLE_LABELS[role]).join(', ')}</td>
                  <td>
                    {operator.disabled ? <span className="badge badge-warning">Disabled</span> : 'Active'}
                  </td>
                  <td>
                    {operator.lastLoginAt === null ? (
                      'Never'
                    ) : (
                      <time dateTime={operator.lastLoginAt} title={absoluteTime(operator.lastLoginAt)}>
                        {relativeTime(operator.lastLoginAt)}
                      </time>
                    )}
                  </td>
                  <td className="row-actions">
                    <Button
                      className="button button-small"
                      aria-label={`Edit ${operator.username}`}
                      onPress={() => setDialog({ kind: 'edit', operator })}
                    >
                      Edit
                    </Button>
                    <Button
                      className="button button-small"
                      aria-label={`Reset password for ${operator.username}`}
                      onPress={() => setDialog({ kind: 'reset', operator })}
                    >
                      Reset password
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog.kind === 'new' && <NewOperatorDialog onClose={close} />}
      {dialog.kind === 'edit' && <EditOperatorDialog operator={dialog.operator} onClose={close} />}
      {dialog.kind === 'reset' && <ResetPasswordDialog operator={dialog.operator} onClose={close} />}
    </section>
  );
}
