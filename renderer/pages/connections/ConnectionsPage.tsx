import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import type { Connection } from '../../../shared/domain/connection.js';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { connectionsStore } from '../../stores/connections-store.js';
import { ConnectionFormDialog } from './ConnectionFormDialog.js';
import { ConnectionsTable } from './ConnectionsTable.js';
import { DeleteConnectionDialog } from './DeleteConnectionDialog.js';
import { InboundEndpointDialog } from './InboundEndpointDialog.js';
import { SecretDialog } from './SecretDialog.js';
import { TestConnectionDialog } from './TestConnectionDialog.js';

type OpenDialog =
  | { readonly kind: 'none' }
  | { readonly kind: 'form'; readonly connection: Connection | null }
  | { readonly kind: 'secret'; readonly connection: Connection }
  | { readonly kind: 'delete'; readonly connection: Connection }
  | { readonly kind: 'test'; readonly connection: Connection }
  | { readonly kind: 'inbound'; readonly connection: Connection };

export function ConnectionsPage() {
  const ops = useOps();
  const { items, loading, loaded, error } = useStore(connectionsStore);
  const canCreate = useCan('connections.create');
  const allowed = {
    edit: useCan('connections.update'),
    setSecret: useCan('connections.setSecret'),
    delete: useCan('connections.delete'),
    test: useCan('connections.test'),
  };
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const close = () => setDialog({ kind: 'none' });

  useEffect(() => {
    void connectionsStore.getState().load(ops);
  }, [ops]);

  return (
    <section className="page" aria-labelledby="connections-heading">
      <header className="page-header">
        <h1 id="connections-heading">Connections</h1>
        {canCreate && (
          <Button
            className="button button-primary"
            onPress={() => setDialog({ kind: 'form', connection: null })}
          >
            New connection
          </Button>
        )}
      </header>
      <p className="page-lead">
        Where the console reads from and writes to. Secrets live in the OS keychain; this list only says
        whether one is set.
      </p>
      {error !== null && <Alert tone="error">Could not load the connections: {error}</Alert>}
      {loaded && items.length === 0 && <p className="empty">No connections yet.</p>}
      {!loaded && loading && <p className="empty">Loading connections…</p>}
      {items.length > 0 && (
        <ConnectionsTable
          connections={items}
          allowed={allowed}
          onEdit={(connection) => setDialog({ kind: 'form', connection })}
          onSetSecret={(connection) => setDialog({ kind: 'secret', connection })}
          onDelete={(connection) => setDialog({ kind: 'delete', connection })}
          onTest={(connection) => setDialog({ kind: 'test', connection })}
          onShowInbound={(connection) => setDialog({ kind: 'inbound', connection })}
        />
      )}
      {dialog.kind === 'form' && <ConnectionFormDialog connection={dialog.connection} onClose={close} />}
      {dialog.kind === 'secret' && <SecretDialog connection={dialog.connection} onClose={close} />}
      {dialog.kind === 'delete' && <DeleteConnectionDialog connection={dialog.connection} onClose={close} />}
      {dialog.kind === 'test' && <TestConnectionDialog connection={dialog.connection} onClose={close} />}
      {dialog.kind === 'inbound' && <InboundEndpointDialog connection={dialog.connection} onClose={close} />}
    </section>
  );
}
