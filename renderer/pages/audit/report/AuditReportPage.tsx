import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { AuditReport } from '../../../../shared/domain/audit.js';
import { useOps } from '../../../app/client-context.js';
import { absoluteTime } from '../../../app/format-time.js';
import { Alert } from '../../../components/Alert.js';
import { reportInputFromHash } from './report-query.js';
import { filtersLine } from './report-text.js';
import { ReportRows } from './ReportRows.js';
import { ReportSummary } from './ReportSummary.js';

type State =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'report'; readonly report: AuditReport };

/**
 * The printable audit report of a period (issue 13, item 4): what the server verified and counted,
 * laid out for paper. "Print / Save as PDF" uses the browser's (or Electron's) own print dialog; the
 * print stylesheet leaves the console's frame and the buttons out.
 */
export function AuditReportPage() {
  const ops = useOps();
  const [asked] = useState(() =>
    reportInputFromHash(typeof window === 'undefined' ? '' : window.location.hash),
  );
  const [state, setState] = useState<State>(() =>
    asked.ok ? { kind: 'loading' } : { kind: 'error', message: asked.message },
  );

  useEffect(() => {
    if (!asked.ok) return;
    let shown = true;
    void ops['audit.report'](asked.input).then((result) => {
      if (!shown) return;
      setState(
        result.ok
          ? { kind: 'report', report: result.value }
          : { kind: 'error', message: result.error.message },
      );
    });
    return () => {
      shown = false;
    };
  }, [asked, ops]);

  return (
    <article className="page audit-report" aria-labelledby="audit-report-heading">
      <header className="page-header">
        <h1 id="audit-report-heading">Audit report</h1>
        <div className="report-actions no-print">
          <a className="button" href="#/audit">
            Back to the audit log
          </a>
          {state.kind === 'report' && (
            <Button className="button button-primary" onPress={() => window.print()}>
              Print / Save as PDF
            </Button>
          )}
        </div>
      </header>
      {state.kind === 'loading' && <p className="empty">Verifying the chain and gathering the period…</p>}
      {state.kind === 'error' && <Alert tone="error">Could not make the report: {state.message}</Alert>}
      {state.kind === 'report' && asked.ok && (
        <>
          <dl className="report-facts">
            <dt>Period</dt>
            <dd>
              {absoluteTime(state.report.from)} to {absoluteTime(state.report.to)}{' '}
              <span className="muted">
                ({state.report.from} – {state.report.to})
              </span>
            </dd>
            <dt>Filters</dt>
            <dd>{filtersLine(asked.input)}</dd>
            <dt>Generated</dt>
            <dd>
              by {state.report.objects[state.report.generatedBy]?.name ?? state.report.generatedBy} at{' '}
              {absoluteTime(state.report.generatedAt)}
            </dd>
          </dl>
          <ReportSummary report={state.report} />
          <ReportRows report={state.report} />
        </>
      )}
    </article>
  );
}
