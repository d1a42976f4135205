import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { MappingDiff, MappingWithVersions } from '../../../shared/domain/mapping.js';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { SelectInput } from '../../components/SelectInput.js';

/** A value as one line of JSON ("—" for nothing), so any kind of change reads the same way. */
export function diffValueText(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const CHANGE_LABELS = { added: 'Added', removed: 'Removed', changed: 'Changed' } as const;

/** What changed between two versions, as the server computes it (by path). */
export function DiffTable({ diff }: { readonly diff: MappingDiff }) {
  if (diff.changes.length === 0)
    return (
      <p className="empty">
        Versions {diff.from} and {diff.to} are the same.
      </p>
    );
  return (
    <div className="table-scroll">
      <table className="data-table diff-table" aria-label={`Changes from version ${diff.from} to ${diff.to}`}>
        <thead>
          <tr>
            <th scope="col">Where</th>
            <th scope="col">Change</th>
            <th scope="col">Before (v{diff.from})</th>
            <th scope="col">After (v{diff.to})</th>
          </tr>
        </thead>
        <tbody>
          {diff.changes.map((change) => (
            <tr key={change.path} className={`diff-${change.change}`}>
              <td>
                <code>{change.path}</code>
              </td>
              <td>{CHANGE_LABELS[change.change]}</td>
              <td>
                <code className="diff-value">{diffValueText(change.before)}</code>
              </td>
              <td>
                <code className="diff-value">{diffValueText(change.after)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Picks two versions (by default the two newest) and shows the difference. */
export function MappingDiffView({ mapping }: { readonly mapping: MappingWithVersions }) {
  const ops = useOps();
  const numbers = mapping.versions.map((version) => version.version).sort((a, b) => a - b);
  const [from, setFrom] = useState(String(numbers.at(-2) ?? 1));
  const [to, setTo] = useState(String(numbers.at(-1) ?? 1));
  const [diff, setDiff] = useState<MappingDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const options = numbers.map((number) => ({ value: String(number), label: `v${number}` }));

  async function show() {
    setError(null);
    const result = await ops['mappings.diff']({ id: mapping.id, from: Number(from), to: Number(to) });
    if (result.ok) setDiff(result.value);
    else {
      setDiff(null);
      setError(result.error.message);
    }
  }

  return (
    <section aria-labelledby="diff-heading">
      <h3 id="diff-heading" className="panel-subheading">
        Compare versions
      </h3>
      <div className="filters">
        <SelectInput label="From version" name="from" value={from} options={options} onChange={setFrom} />
        <SelectInput label="To version" name="to" value={to} options={options} onChange={setTo} />
        <div className="filters-actions">
          <Button className="button" onPress={() => void show()}>
            Show changes
          </Button>
        </div>
      </div>
      {error !== null && <Alert tone="error">{error}</Alert>}
      {diff !== null && <DiffTable diff={diff} />}
    </section>
  );
}
