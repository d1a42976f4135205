import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { MappingVersion, MappingWithVersions } from '../../../shared/domain/mapping.js';
import { useOps } from '../../app/client-context.js';
import { absoluteTime } from '../../app/format-time.js';
import { Alert } from '../../components/Alert.js';
import { mappingsStore } from '../../stores/mappings-store.js';
import { downloadJson, mappingFileName } from './mapping-file.js';
import { MappingDiffView } from './MappingDiffView.js';
import { PreviewDialog } from './PreviewDialog.js';
import { ShadowRunPanel } from './ShadowRunPanel.js';

const STATUS_TONES: Readonly<Record<MappingVersion['status'], string>> = {
  draft: 'badge-warning',
  approved: '',
  active: 'badge-passed',
  retired: '',
};

/** Which version actions the operator's roles allow (the server checks again, and checks the author). */
export interface MappingActionsAllowed {
  readonly approve: boolean;
  readonly activate: boolean;
  readonly preview: boolean;
}

interface MappingDetailProps {
  readonly mapping: MappingWithVersions;
  readonly allowed: MappingActionsAllowed;
}

function VersionPeople({ version }: { readonly version: MappingVersion }) {
  return (
    <div className="muted cell-note">
      by {version.author}
      {version.approvedBy !== null && ` · approved by ${version.approvedBy}`}
      {version.activatedBy !== null && ` · activated by ${version.activatedBy}`}
    </div>
  );
}

/**
 * One mapping's versions and lifecycle (approve, activate), diff, preview and export. The page keys it
 * by mapping id, so opening another mapping starts with fresh messages and a fresh diff.
 */
export function MappingDetail({ mapping, allowed }: MappingDetailProps) {
  const ops = useOps();
  const { approve: canApprove, activate: canActivate, preview: canPreview } = allowed;
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [previewing, setPreviewing] = useState<MappingVersion | null>(null);

  async function lifecycle(kind: 'approve' | 'activate', version: number) {
    setMessage(null);
    const call = kind === 'approve' ? ops['mappings.approve'] : ops['mappings.activate'];
    const result = await call({ id: mapping.id, version });
    if (!result.ok) {
      // The server's own words: e.g. that the author may not approve their own version.
      setMessage({ tone: 'error', text: result.error.message });
      return;
    }
    mappingsStore.getState().upsertVersion(result.value);
    setMessage({ tone: 'success', text: `Version ${version} is ${result.value.status}.` });
  }

  async function exportFile() {
    setMessage(null);
    const result = await ops['mappings.export']({ id: mapping.id });
    if (result.ok) downloadJson(mappingFileName(mapping.name), result.value);
    else setMessage({ tone: 'error', text: result.error.message });
  }

  const versions = [...mapping.versions].sort((a, b) => b.version - a.version);
  return (
    <section className="panel" aria-labelledby="mapping-detail-heading">
      <header className="page-header">
        <h2 id="mapping-detail-heading">{mapping.name}: versions</h2>
        <div className="row-actions">
          <Button className="button button-small" onPress={() => void exportFile()}>
            Export JSON
          </Button>
          <Button className="button button-small" onPress={() => mappingsStore.getState().close()}>
            Close versions
          </Button>
        </div>
      </header>
      {message !== null && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Note</th>
              <th scope="col">Saved</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version.version}>
                <td>v{version.version}</td>
                <td>
                  <span className={`badge ${STATUS_TONES[version.status]}`}>{version.status}</span>
                </td>
                <td>
                  {version.note === '' ? <span className="muted">—</span> : version.note}
                  <VersionPeople version={version} />
                </td>
                <td>
                  <time dateTime={version.createdAt}>{absoluteTime(version.createdAt)}</time>
                </td>
                <td className="row-actions">
                  {canPreview && (
                    <Button
                      className="button button-small"
                      aria-label={`Preview version ${version.version}`}
                      onPress={() => setPreviewing(version)}
                    >
                      Preview
                    </Button>
                  )}
                  {canApprove && version.status === 'draft' && (
                    <Button
                      className="button button-small"
                      aria-label={`Approve version ${version.version}`}
                      onPress={() => void lifecycle('approve', version.version)}
                    >
                      Approve
                    </Button>
                  )}
                  {canActivate && version.status === 'approved' && (
                    <Button
                      className="button button-small button-primary"
                      aria-label={`Activate version ${version.version}`}
                      onPress={() => void lifecycle('activate', version.version)}
                    >
                      Activate
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {mapping.versions.length > 1 && <MappingDiffView mapping={mapping} />}
      <ShadowRunPanel mapping={mapping} />
      {previewing !== null && <PreviewDialog version={previewing} onClose={() => setPreviewing(null)} />}
    </section>
  );
}
