import { useEffect, useState } from 'react';
import type { Connection } from '../../../shared/domain/connection.js';
import { useOps } from '../../app/client-context.js';
import { FormDialog } from '../../components/FormDialog.js';
import { connectionsStore } from '../../stores/connections-store.js';
import { deleteConnection, usagesStateOf, type UsagesState } from './connection-delete-plan.js';
import { DeleteConnectionBody } from './DeleteConnectionBody.js';

interface DeleteConnectionDialogProps {
  readonly connection: Connection;
  readonly onClose: () => void;
}

/**
 * Deleting also removes the keychain secret, so it is confirmed first; the flows that use the
 * connection are shown before, and deleting then pauses them (issue 14), never silently.
 */
export function DeleteConnectionDialog({ connection, onClose }: DeleteConnectionDialogProps) {
  const ops = useOps();
  const [usages, setUsages] = useState<UsagesState>({ status: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Bumped to ask again: a refusal means flows came since the list was loaded.
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    let current = true;
    void ops['connections.usages']({ id: connection.id }).then((result) => {
      if (current) setUsages(usagesStateOf(result));
    });
    return () => {
      current = false;
    };
  }, [ops, connection.id, asked]);

  async function confirm() {
    setBusy(true);
    setError(null);
    const result = await deleteConnection(ops, connection.id, usages);
    setBusy(false);
    if (result.ok) {
      connectionsStore.getState().remove(connection.id);
      onClose();
      return;
    }
    setError(result.error.message);
    // Refused because flows use it after all (saved meanwhile): show them and offer the choice.
    if (result.error.code === 'conflict') setAsked((n) => n + 1);
  }

  return (
    <FormDialog title={`Delete ${connection.name}?`} isOpen onClose={onClose}>
      <DeleteConnectionBody
        connection={connection}
        usages={usages}
        error={error}
        busy={busy}
        onConfirm={() => void confirm()}
        onClose={onClose}
      />
    </FormDialog>
  );
}
