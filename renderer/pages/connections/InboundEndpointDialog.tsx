import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { Connection } from '../../../shared/domain/connection.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { FormDialog } from '../../components/FormDialog.js';
import { InboundEndpointView } from './InboundEndpointView.js';

interface InboundEndpointDialogProps {
  readonly connection: Connection;
  readonly onClose: () => void;
}

/**
 * A webhook-in connection's address and signing recipe. Read again when opened: the listener may
 * have started, moved or stopped since the list was loaded.
 */
export function InboundEndpointDialog({ connection, onClose }: InboundEndpointDialogProps) {
  const ops = useOps();
  const [current, setCurrent] = useState<Connection>(connection);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void ops['connections.get']({ id: connection.id }).then((answer) => {
      if (!live) return;
      if (answer.ok) setCurrent(answer.value);
      else setError(answer.error.message);
    });
    return () => {
      live = false;
    };
  }, [ops, connection.id]);

  return (
    <FormDialog title={`Where ${connection.name} receives events`} isOpen onClose={onClose} size="wide">
      {error !== null && <Alert tone="error">Could not read the address: {error}</Alert>}
      {current.inbound === undefined ? (
        <p className="empty">Loading the address…</p>
      ) : (
        <InboundEndpointView endpoint={current.inbound} />
      )}
      <div className="form-actions">
        <Button className="button" onPress={onClose}>
          Close
        </Button>
      </div>
    </FormDialog>
  );
}
