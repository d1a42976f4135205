import { useEffect, useState, type ChangeEvent } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { absoluteTime } from '../../app/format-time.js';
import { Alert } from '../../components/Alert.js';
import { mappingsStore } from '../../stores/mappings-store.js';
import { MappingDetail } from './MappingDetail.js';
import { readMappingFile } from './mapping-file.js';

/** Mappings with their versions; import a mapping file as a new draft. */
export function MappingsPage() {
  const ops = useOps();
  const { items, loading, loaded, error, detail, detailLoading, detailError } = useStore(mappingsStore);
  const canImport = useCan('mappings.import');
  const allowed = {
    approve: useCan('mappings.approve'),
    activate: useCan('mappings.activate'),
    preview: useCan('mappings.preview'),
  };
  const [importMessage, setImportMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(
    null,
  );

  useEffect(() => {
    void mappingsStore.getState().load(ops);
  }, [ops]);

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const input = event.target;
    const file = input.files?.[0];
    // Cleared at once, so choosing the same file again (after fixing it) fires another change.
    input.value = '';
    if (file === undefined) return;
    setImportMessage(null);
    const read = readMappingFile(await file.text());
    if (!read.ok) {
      setImportMessage({ tone: 'error', text: read.message });
      return;
    }
    const result = await ops['mappings.import']({ file: read.file });
    if (!result.ok) {
      setImportMessage({ tone: 'error', text: result.error.message });
      return;
    }
    mappingsStore.getState().showDetail(result.value);
    setImportMessage({
      tone: 'success',
      text: `Imported ${result.value.name}: version ${result.value.latestVersion} is a draft awaiting approval.`,
    });
  }

  return (
    <section className="page" aria-labelledby="mappings-heading">
      <header className="page-header">
        <h1 id="mappings-heading">Mappings</h1>
        {canImport && (
          <label className="button file-button">
            Import mapping file
            <input
              type="file"
              accept="application/json,.json"
              className="visually-hidden"
              onChange={(event) => void importFile(event)}
            />
          </label>
        )}
      </header>
      <p className="page-lead">
        How source records become target payloads. Every version is kept; a draft is approved by an
        administrator other than its author, then activated for the flows that use it.
      </p>
      {importMessage !== null && <Alert tone={importMessage.tone}>{importMessage.text}</Alert>}
      {error !== null && <Alert tone="error">Could not load the mappings: {error}</Alert>}
      {loaded && items.length === 0 && <p className="empty">No mappings yet.</p>}
      {!loaded && loading && <p className="empty">Loading mappings…</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Mapping</th>
                <th scope="col">Active version</th>
                <th scope="col">Latest version</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((mapping) => (
                <tr key={mapping.id} aria-current={detail?.id === mapping.id ? 'true' : undefined}>
                  <td>
                    <strong>{mapping.name}</strong>
                    {mapping.description !== '' && (
                      <div className="muted cell-note">{mapping.description}</div>
                    )}
                  </td>
                  <td>
                    {mapping.activeVersion === null ? (
                      <span className="badge badge-warning">none active</span>
                    ) : (
                      `v${mapping.activeVersion}`
                    )}
                  </td>
                  <td>v{mapping.latestVersion}</td>
                  <td>
                    <time dateTime={mapping.createdAt}>{absoluteTime(mapping.createdAt)}</time> by{' '}
                    {mapping.createdBy}
                  </td>
                  <td className="row-actions">
                    <Button
                      className="button button-small"
                      aria-label={`Versions: ${mapping.name}`}
                      onPress={() => void mappingsStore.getState().open(ops, mapping.id)}
                    >
                      Versions
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {detailError !== null && <Alert tone="error">Could not open the mapping: {detailError}</Alert>}
      {detail === null && detailLoading && <p className="empty">Loading versions…</p>}
      {detail !== null && <MappingDetail key={detail.id} mapping={detail} allowed={allowed} />}
    </section>
  );
}
