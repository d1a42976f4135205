import { useState } from 'react';
import type { LineageEntry, LineageTrail } from '../../../shared/domain/lineage.js';
import { absoluteTime } from '../../app/format-time.js';
import { lineageRowId, nameOr, supersededBy } from './lineage-history.js';

const OUTCOME_TONES = { created: 'badge-passed', updated: 'badge-passed', failed: 'badge-failed' } as const;

interface LineageTableProps {
  readonly trail: LineageTrail;
  readonly label: string;
  /** Follow a row forwards: what its source record became. */
  readonly onSource: (entry: LineageEntry) => void;
  /** Follow a row backwards: where its target record came from. */
  readonly onTarget: (entry: LineageEntry) => void;
}

/**
 * Lineage rows, oldest first: each write of a record, named (flows, mappings), and its correction
 * history: "corrects #N" points at the earlier write, which is marked superseded.
 */
export function LineageTable({ trail, label, onSource, onTarget }: LineageTableProps) {
  const [highlight, setHighlight] = useState<number | null>(null);
  const { entries } = trail;
  if (entries.length === 0)
    return (
      <p className="empty">
        No lineage found for this record: nothing was written for it yet (a record that failed before its
        write has none).
      </p>
    );
  const corrections = supersededBy(entries);
  const shown = new Set(entries.map((entry) => entry.seq));

  function showEarlier(seq: number) {
    setHighlight(seq);
    const row = document.getElementById(lineageRowId(seq));
    row?.scrollIntoView({ block: 'center' });
    row?.focus();
  }

  return (
    <div className="table-scroll">
      <table className="data-table lineage-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Source record</th>
            <th scope="col">Flow · run · mapping</th>
            <th scope="col">Target record</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const correctedBy = corrections.get(entry.seq);
            const classes = [
              correctedBy === undefined ? '' : 'lineage-superseded',
              highlight === entry.seq ? 'lineage-highlight' : '',
            ].join(' ');
            return (
              <tr key={entry.seq} id={lineageRowId(entry.seq)} tabIndex={-1} className={classes.trim()}>
                <td>{entry.seq}</td>
                <td>
                  <time dateTime={entry.at}>{absoluteTime(entry.at)}</time>
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`What source record ${entry.sourceId} became`}
                    onClick={() => onSource(entry)}
                  >
                    {entry.sourceSystem} {entry.sourceType} <code>{entry.sourceId}</code>
                  </button>
                  <div className="muted cell-note">version {entry.sourceVersion}</div>
                </td>
                <td>
                  {nameOr(trail.flowNames, entry.flowId)}
                  <div className="muted cell-note">
                    run <code>{entry.runId}</code> · {nameOr(trail.mappingNames, entry.mappingId)} v
                    {entry.mappingVersion}
                  </div>
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Where ${entry.targetModel} record ${entry.targetKey} came from`}
                    onClick={() => onTarget(entry)}
                  >
                    {entry.targetSystem} {entry.targetModel} <code>{entry.targetKey}</code>
                  </button>
                  <div className="muted cell-note">id {entry.targetId ?? '—'}</div>
                </td>
                <td>
                  <span className={`badge ${OUTCOME_TONES[entry.outcome]}`}>{entry.outcome}</span>
                  {entry.errorCode !== null && <div className="field-error">{entry.errorCode}</div>}
                  {entry.supersedes !== null && (
                    <div className="muted cell-note">
                      {shown.has(entry.supersedes) ? (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => showEarlier(entry.supersedes ?? entry.seq)}
                        >
                          corrects #{entry.supersedes}
                        </button>
                      ) : (
                        <>corrects #{entry.supersedes}</>
                      )}
                    </div>
                  )}
                  {correctedBy !== undefined && (
                    <div className="cell-note lineage-superseded-note">superseded by #{correctedBy}</div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
