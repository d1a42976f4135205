import type {
  ShadowFieldDiff,
  ShadowRecordResult,
  ShadowReport,
  ShadowVerdict,
} from '../../../shared/domain/shadow.js';

/**
 * A shadow run's report (issue 12): the counts, what the target checked, and every record that
 * differs from the active version or that Odoo (or the mapping) would refuse. Differing fields are
 * highlighted with the active value, the shadow value and what Odoo holds now. Pure: rendered from
 * the report alone, so the markup is tested without a server.
 */

const VERDICT_TONES: Readonly<Record<ShadowVerdict, string>> = {
  accepted: 'badge-passed',
  refused: 'badge-failed',
  unmapped: 'badge-warning',
  unchecked: '',
};

const VERDICT_WORDS: Readonly<Record<ShadowVerdict, string>> = {
  accepted: 'Odoo would accept',
  refused: 'Odoo would refuse',
  unmapped: 'not mapped',
  unchecked: 'not checked',
};

function shown(value: unknown, missing: boolean | undefined): string {
  if (missing === true) return '(absent)';
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** The records worth a look: a difference, or anything but an acceptance. */
export function notableRecords(records: readonly ShadowRecordResult[]): ShadowRecordResult[] {
  return records.filter((record) => (record.diffs?.length ?? 0) > 0 || record.verdict !== 'accepted');
}

function DiffRows({
  diffs,
  valuesShown,
}: {
  readonly diffs: readonly ShadowFieldDiff[];
  readonly valuesShown: boolean;
}) {
  return (
    <table className="data-table shadow-diffs">
      <thead>
        <tr>
          <th scope="col">Field</th>
          {valuesShown && <th scope="col">Active version</th>}
          {valuesShown && <th scope="col">Shadow version</th>}
          {valuesShown && <th scope="col">In Odoo now</th>}
        </tr>
      </thead>
      <tbody>
        {diffs.map((diff) => (
          <tr key={diff.path} className="diff-changed">
            <td>
              <mark className="shadow-field">{diff.path}</mark>
            </td>
            {valuesShown && <td className="diff-value">{shown(diff.active, diff.activeMissing)}</td>}
            {valuesShown && <td className="diff-value">{shown(diff.shadow, diff.shadowMissing)}</td>}
            {valuesShown && (
              <td className="diff-value">{diff.odoo === undefined ? '—' : JSON.stringify(diff.odoo)}</td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ShadowReportView({ report }: { readonly report: ShadowReport }) {
  const { run } = report;
  const notable = notableRecords(report.records);
  return (
    <div className="shadow-report" aria-label={`Shadow run of version ${run.version}`}>
      <p>
        <span
          className={`badge ${run.clean ? 'badge-passed' : run.state === 'running' ? '' : 'badge-failed'}`}
        >
          {run.state === 'running'
            ? 'running'
            : run.state === 'failed'
              ? 'failed'
              : run.clean
                ? 'clean'
                : 'not clean'}
        </span>{' '}
        Version {run.version}
        {run.activeVersion === null
          ? ' (no active version to compare with)'
          : ` against active v${run.activeVersion}`}
        : {run.records} records, {run.differing} differing, {run.accepted} accepted, {run.refused} refused,{' '}
        {run.unmapped} not mapped{run.unchecked > 0 ? `, ${run.unchecked} not checked` : ''}.
      </p>
      <p className="muted">Checked by: {run.checkedBy}</p>
      {run.error !== null && <p className="field-error">{run.error}</p>}
      {!report.valuesShown && (
        <p className="muted">Values are hidden for your role: fields and verdicts only.</p>
      )}
      {run.state === 'finished' && notable.length === 0 && (
        <p>Every record maps as the active version does and Odoo would accept every one.</p>
      )}
      {notable.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Source record</th>
              <th scope="col">Verdict</th>
              <th scope="col">Differences</th>
            </tr>
          </thead>
          <tbody>
            {notable.map((record) => (
              <tr key={record.seq}>
                <td>
                  {record.sourceId}
                  {record.targetId !== null && (
                    <div className="muted cell-note">Odoo id {record.targetId}</div>
                  )}
                </td>
                <td>
                  <span className={`badge ${VERDICT_TONES[record.verdict]}`}>
                    {VERDICT_WORDS[record.verdict]}
                  </span>
                  {record.message !== null && <div className="cell-note">{record.message}</div>}
                </td>
                <td>
                  {(record.diffs?.length ?? 0) === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    <DiffRows diffs={record.diffs ?? []} valuesShown={report.valuesShown} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
