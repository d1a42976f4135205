import { Button } from 'react-aria-components';
import type { Connection } from '../../../shared/domain/connection.js';
import { Alert } from '../../components/Alert.js';
import { deleteLabel, usagesOf, type UsagesState } from './connection-delete-plan.js';

interface DeleteConnectionBodyProps {
  readonly connection: Connection;
  readonly usages: UsagesState;
  /** The server's refusal or failure, shown in place (e.g. a flow saved since the list loaded). */
  readonly error: string | null;
  readonly busy: boolean;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}

/** The delete dialog's content: which flows use the connection, and what confirming does to them. */
export function DeleteConnectionBody({
  connection,
  usages,
  error,
  busy,
  onConfirm,
  onClose,
}: DeleteConnectionBodyProps) {
  const flows = usagesOf(usages);
  return (
    <>
      <p className="dialog-text">
        The connection and its stored secret are removed. The audit log keeps the record of what it did.
      </p>
      {usages.status === 'loading' && <p className="dialog-text">Checking which flows use it…</p>}
      {usages.status === 'failed' && (
        <Alert tone="warning">Could not check which flows use it: {usages.message}</Alert>
      )}
      {flows.length > 0 && (
        <>
          <Alert tone="warning">
            {flows.length === 1 ? '1 flow uses' : `${flows.length} flows use`} {connection.name}. Deleting it
            pauses {flows.length === 1 ? 'that flow' : 'them'} (disabled, no new runs) until{' '}
            {flows.length === 1 ? 'it is' : 'they are'} pointed at another connection.
          </Alert>
          <ul className="dialog-list" aria-label={`Flows that use ${connection.name}`}>
            {flows.map((usage) => (
              <li key={usage.flowId}>
                {usage.flowName} — {usage.roles.join(' and ')}
                {usage.enabled ? '' : ' (already disabled)'}
              </li>
            ))}
          </ul>
        </>
      )}
      {error !== null && <Alert tone="error">{error}</Alert>}
      <div className="form-actions">
        <Button
          className="button button-danger"
          isPending={busy}
          isDisabled={usages.status === 'loading'}
          onPress={onConfirm}
          autoFocus
        >
          {deleteLabel(usages)}
        </Button>
        <Button className="button" onPress={onClose}>
          Cancel
        </Button>
      </div>
    </>
  );
}
