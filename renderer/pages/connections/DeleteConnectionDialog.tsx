import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { Connection } from '../../../shared/domain/connection.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { FormDialog } from '../../components/FormDialog.js';
import { connectionsStore } from '../../stores/connections-store.js';

interface DeleteConnectionDialogProps {
  readonly connection: Connection;
  readonly onClose: () => void;
}

/** Deleting also removes the keychain secret, so it is confirmed first. */
export function DeleteConnectionDialog({ connection, onClose }: DeleteConnectionDialogProps) {
  const ops = useOps();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    setError(null);
    const result = await ops['connections.delete']({ id: connection.id });
    setBusy(false);
    if (result.ok) {
      connectionsStore.getState().remove(connection.id);
      onClose();
    } else setError(result.error.message);
  }

  return (
    <FormDialog title={`Delete ${connection.name}?`} isOpen onClose={onClose}>
      <p className="dialog-text">
        The connection and its stored secret are removed. The audit log keeps the record of what it did.
      </p>
      {error !== null && <Alert tone="error">{error}</Alert>}
      <div className="form-actions">
        <Button className="button button-danger" isPending={busy} onPress={() => void confirm()} autoFocus>
          Delete connection
        </Button>
        <Button className="button" onPress={onClose}>
          Cancel
        </Button>
      </div>
    </FormDialog>
  );
}
