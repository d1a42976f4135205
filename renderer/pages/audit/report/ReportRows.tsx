import type { AuditReport } from '../../../../shared/domain/audit.js';
import { absoluteTime } from '../../../app/format-time.js';
import { objectLabel, targetObject } from '../audit-names.js';
import { truncationNote } from './report-text.js';

/** The period's rows, oldest first, with names where the log holds ids (a plain table: it is printed). */
export function ReportRows({ report }: { readonly report: AuditReport }) {
  const note = truncationNote(report);
  return (
    <section aria-label="Rows of the period">
      <h2 className="report-heading">Rows</h2>
      {report.entries.length === 0 ? (
        <p className="empty">No rows in this period.</p>
      ) : (
        <table className="report-table report-rows">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Operator</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {report.entries.map((entry) => {
              const named = targetObject(entry.target, report.objects);
              return (
                <tr key={entry.seq}>
                  <td>{entry.seq}</td>
                  <td>{absoluteTime(entry.at)}</td>
                  <td>{report.objects[entry.actor]?.name ?? entry.actor}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{named === null ? (entry.target ?? '—') : objectLabel(named.object)}</td>
                  <td>{entry.outcome}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {note !== null && <p className="report-note">{note}</p>}
    </section>
  );
}
