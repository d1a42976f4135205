import { useState, type SubmitEvent } from 'react';
import { Button } from 'react-aria-components';
import { SECRET_LABELS, type Connection } from '../../../shared/domain/connection.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { clearSecretInputs, readField } from '../../components/form-data.js';
import { FormDialog } from '../../components/FormDialog.js';
import { PasswordInput } from '../../components/PasswordInput.js';
import { connectionsStore } from '../../stores/connections-store.js';
import { secretStatusText } from './connection-columns.js';

interface SecretDialogProps {
  readonly connection: Connection;
  readonly onClose: () => void;
}

/**
 * Stores or removes a connection's secret. The value goes from the (uncontrolled) input straight
 * into one call and the input is emptied; the console only ever shows "set, changed at".
 */
export function SecretDialog({ connection: initial, onClose }: SecretDialogProps) {
  const ops = useOps();
  const [connection, setConnection] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function settle(result: Awaited<ReturnType<(typeof ops)['connections.clearSecret']>>, message: string) {
    setBusy(false);
    if (result.ok) {
      connectionsStore.getState().upsert(result.value);
      setConnection(result.value);
      setDone(message);
    } else setError(result.error.message);
  }

  async function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const secret = readField(form, 'secret');
    clearSecretInputs(form);
    setDone(null);
    if (secret === '') {
      setError('Enter the secret.');
      return;
    }
    setBusy(true);
    setError(null);
    settle(
      await ops['connections.setSecret']({ id: connection.id, secret }),
      'Secret stored in the OS keychain',
    );
  }

  async function remove() {
    setBusy(true);
    setError(null);
    setDone(null);
    settle(
      await ops['connections.clearSecret']({ id: connection.id }),
      'Secret removed from the OS keychain',
    );
  }

  return (
    <FormDialog title={`Secret for ${connection.name}`} isOpen onClose={onClose}>
      <p className="dialog-text">
        Current state: <strong>{secretStatusText(connection)}</strong>. A stored secret can be replaced or
        removed, never shown again.
      </p>
      <form noValidate className="form" onSubmit={(event) => void save(event)}>
        <PasswordInput
          label="Secret"
          description={SECRET_LABELS[connection.kind]}
          name="secret"
          autoComplete="new-password"
          autoFocus
        />
        {error !== null && <Alert tone="error">{error}</Alert>}
        {done !== null && <Alert tone="success">{done}</Alert>}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={busy}>
            Save secret
          </Button>
          {connection.secret.isSet && (
            <Button className="button button-danger" isPending={busy} onPress={() => void remove()}>
              Remove secret
            </Button>
          )}
          <Button className="button" onPress={onClose}>
            {done === null ? 'Cancel' : 'Done'}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
