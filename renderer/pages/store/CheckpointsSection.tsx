import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { auditStorePageStore } from '../../stores/audit-store-page-store.js';
import { checkpointFile, checkpointFileName, publicKeyFileName, REASON_LABELS } from './audit-store-view.js';
import { downloadFile } from './download-file.js';

const when = (iso: string): string => new Date(iso).toLocaleString();

/** Signed checkpoints, newest first, each downloadable as the file an auditor verifies; the public key. */
export function CheckpointsSection() {
  const ops = useOps();
  const canSign = useCan('audit.checkpoint');
  const checkpoints = useStore(auditStorePageStore, (state) => state.checkpoints);
  const publicKey = useStore(auditStorePageStore, (state) => state.publicKey);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function sign() {
    setBusy(true);
    setError(await auditStorePageStore.getState().signNow(ops));
    setBusy(false);
  }

  return (
    <section className="panel" aria-labelledby="checkpoints-heading">
      <h2 id="checkpoints-heading">Signed checkpoints</h2>
      <p className="muted">
        Each checkpoint signs the audit log head (Ed25519, key in the OS keychain). Give an auditor the public
        key once and a checkpoint file now and then:{' '}
        <code>osc verify-audit --checkpoint FILE --public-key FILE</code> proves the log still holds the rows
        it covers.
      </p>
      <div className="row-actions">
        {canSign && (
          <Button className="button button-primary" isPending={busy} onPress={() => void sign()}>
            Sign a checkpoint now
          </Button>
        )}
        <Button
          className="button"
          isDisabled={publicKey.pem === null}
          onPress={() => {
            if (publicKey.pem !== null)
              downloadFile(publicKeyFileName(publicKey.keyId), publicKey.pem, 'application/x-pem-file');
          }}
        >
          Download the public key (PEM)
        </Button>
        {publicKey.keyId !== null && <span className="muted">Key id {publicKey.keyId.slice(0, 16)}…</span>}
      </div>
      {error !== null && <Alert tone="error">{error}</Alert>}
      {checkpoints.length === 0 ? (
        <p>No checkpoint has been signed yet.</p>
      ) : (
        <table className="data-table" aria-label="Signed checkpoints">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Signed</th>
              <th scope="col">Up to row</th>
              <th scope="col">How</th>
              <th scope="col">Merkle root</th>
              <th scope="col">
                <span className="visually-hidden">File</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {checkpoints.map((item) => (
              <tr key={item.id}>
                <td>{item.id}</td>
                <td>{when(item.checkpoint.at)}</td>
                <td>#{item.checkpoint.seq}</td>
                <td>{REASON_LABELS[item.reason]}</td>
                <td>
                  <code title={item.checkpoint.merkleRoot}>{item.checkpoint.merkleRoot.slice(0, 16)}…</code>
                </td>
                <td>
                  <Button
                    className="button button-small"
                    aria-label={`Download checkpoint ${item.id} as JSON`}
                    onPress={() =>
                      downloadFile(
                        checkpointFileName(item),
                        `${JSON.stringify(checkpointFile(item, publicKey.pem), null, 2)}\n`,
                        'application/json',
                      )
                    }
                  >
                    Download JSON
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
