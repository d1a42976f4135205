import type { FallbackEntry, FallbackField } from '../../../shared/domain/fallback.js';
import { absoluteTime } from '../../app/format-time.js';
import { Alert } from '../../components/Alert.js';
import { FALLBACK_STATE_LABELS, fallbackStateTone } from '../../components/outage-text.js';
import { valuesText } from './fallback-values.js';

interface FallbackEntriesProps {
  readonly entries: readonly FallbackEntry[];
  readonly fields: readonly FallbackField[];
  readonly flowName: string;
  readonly error: string | null;
}

/** What a match found: the source record, and the fields that differed (those wait as an exception). */
function matchText(entry: FallbackEntry, fields: readonly FallbackField[]): string {
  if (entry.matchedSourceId === null)
    return entry.state === 'queued' ? 'Waits in the outbox' : 'Not matched yet';
  if (entry.differences.length === 0) return `Matched ${entry.matchedSourceId}`;
  const labels = entry.differences.map((name) => fields.find((field) => field.name === name)?.label ?? name);
  return `Matched ${entry.matchedSourceId}; differs in ${labels.join(', ')} (an exception waits for review)`;
}

/** The manual entries of a flow, newest first, with their state. */
export function FallbackEntries({ entries, fields, flowName, error }: FallbackEntriesProps) {
  return (
    <section className="panel" aria-labelledby="fallback-entries-heading">
      <h3 id="fallback-entries-heading">Entries for {flowName}</h3>
      {error !== null && <Alert tone="error">Could not read the entries: {error}</Alert>}
      {error === null && entries.length === 0 ? (
        <p className="empty">No transaction was entered by hand for this flow.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table fallback-table">
            <thead>
              <tr>
                <th scope="col">Entered</th>
                <th scope="col">By</th>
                <th scope="col">Values</th>
                <th scope="col">Reason</th>
                <th scope="col">State</th>
                <th scope="col">Provisional key</th>
                <th scope="col">Match</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-fallback-state={entry.state}>
                  <td>{absoluteTime(entry.enteredAt)}</td>
                  <td>{entry.enteredBy}</td>
                  <td className="cell-note">{valuesText(fields, entry.values)}</td>
                  <td className="cell-note">{entry.reason}</td>
                  <td>
                    <span className={`badge badge-${fallbackStateTone(entry.state)}`}>
                      {FALLBACK_STATE_LABELS[entry.state]}
                    </span>
                  </td>
                  <td>
                    <code>{entry.provisionalKey}</code>
                  </td>
                  <td className="cell-note">{matchText(entry, fields)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
