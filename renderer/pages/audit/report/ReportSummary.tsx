import type { AuditReport } from '../../../../shared/domain/audit.js';
import { checkpointLine, reportVerificationLine } from './report-text.js';

const OUTCOME_LABELS = { ok: 'OK', denied: 'Denied', error: 'Error' } as const;

/** What an auditor reads first: does the chain hold, does the latest signed checkpoint match, the counts. */
export function ReportSummary({ report }: { readonly report: AuditReport }) {
  const checkpointOk = report.checkpoint?.matchesLog === true;
  return (
    <section className="report-summary" aria-label="Integrity and counts">
      <p className={`report-line ${report.verification.ok ? 'report-good' : 'report-bad'}`}>
        {reportVerificationLine(report.verification)}
      </p>
      <p className={`report-line report-hashes ${checkpointOk ? 'report-good' : 'report-bad'}`}>
        {checkpointLine(report.checkpoint)}
      </p>
      <div className="report-counts">
        <table className="report-table" aria-label="Rows by outcome">
          <caption>Rows by outcome ({report.totalRows.toLocaleString('en')} in all)</caption>
          <tbody>
            {(['ok', 'denied', 'error'] as const).map((outcome) => (
              <tr key={outcome}>
                <th scope="row">{OUTCOME_LABELS[outcome]}</th>
                <td>{report.byOutcome[outcome].toLocaleString('en')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="report-table" aria-label="Top actions">
          <caption>Top actions</caption>
          <tbody>
            {report.topActions.length === 0 && (
              <tr>
                <td>None in this period</td>
              </tr>
            )}
            {report.topActions.map((top) => (
              <tr key={top.action}>
                <th scope="row">
                  <code>{top.action}</code>
                </th>
                <td>{top.count.toLocaleString('en')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
