import type { LineageEntry } from '../../../shared/domain/lineage.js';
import { absoluteTime } from '../../app/format-time.js';

const OUTCOME_TONES = { created: 'badge-passed', updated: 'badge-passed', failed: 'badge-failed' } as const;

/** Lineage rows, oldest first: each write of a record, and which earlier write it corrects. */
export function LineageTable({
  entries,
  label,
}: {
  readonly entries: readonly LineageEntry[];
  readonly label: string;
}) {
  if (entries.length === 0) return <p className="empty">No lineage found for this record.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table lineage-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Source record</th>
            <th scope="col">Run · mapping</th>
            <th scope="col">Target record</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq}>
              <td>{entry.seq}</td>
              <td>
                <time dateTime={entry.at}>{absoluteTime(entry.at)}</time>
              </td>
              <td>
                {entry.sourceSystem} {entry.sourceType} <code>{entry.sourceId}</code>
                <div className="muted cell-note">version {entry.sourceVersion}</div>
              </td>
              <td>
                <code>{entry.runId}</code>
                <div className="muted cell-note">
                  mapping v{entry.mappingVersion} · flow <code>{entry.flowId}</code>
                </div>
              </td>
              <td>
                {entry.targetSystem} {entry.targetModel} <code>{entry.targetKey}</code>
                <div className="muted cell-note">id {entry.targetId ?? '—'}</div>
              </td>
              <td>
                <span className={`badge ${OUTCOME_TONES[entry.outcome]}`}>{entry.outcome}</span>
                {entry.errorCode !== null && <div className="field-error">{entry.errorCode}</div>}
                {entry.supersedes !== null && (
                  <div className="muted cell-note">corrects #{entry.supersedes}</div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
