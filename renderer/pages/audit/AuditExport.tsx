import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { filterInput, type AuditFilter } from '../../stores/audit-filter.js';
import { downloadText, exportAuditCsv } from './audit-export.js';
import { exportFileName } from './audit-time.js';
import { reportHash } from './report/report-query.js';

type Progress =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly rows: number }
  | { readonly kind: 'done'; readonly rows: number; readonly file: string }
  | { readonly kind: 'error'; readonly message: string; readonly rows: number };

/** "Export CSV" of the current filters and period, and the printable report of that period. */
export function AuditExport({ filter }: { readonly filter: AuditFilter }) {
  const ops = useOps();
  const canExport = useCan('audit.exportCsv');
  const canReport = useCan('audit.report');
  const [progress, setProgress] = useState<Progress>({ kind: 'idle' });

  async function exportCsv() {
    setProgress({ kind: 'running', rows: 0 });
    const result = await exportAuditCsv(ops, filterInput(filter), (rows) =>
      setProgress({ kind: 'running', rows }),
    );
    if (!result.ok) return setProgress({ kind: 'error', message: result.message, rows: result.rows });
    const file = exportFileName(filter.from, filter.to, new Date());
    downloadText(result.csv, file, 'text/csv;charset=utf-8');
    setProgress({ kind: 'done', rows: result.rows, file });
  }

  return (
    <div className="audit-export">
      {canExport && (
        <Button className="button" isPending={progress.kind === 'running'} onPress={() => void exportCsv()}>
          Export CSV
        </Button>
      )}
      {canReport && (
        // The period ends now when none was chosen: read at the press, not when the page was drawn.
        <Button className="button" onPress={() => (window.location.hash = reportHash(filter, new Date()))}>
          Printable report
        </Button>
      )}
      {progress.kind === 'running' && (
        <span className="muted" role="status">
          Exported {progress.rows.toLocaleString('en')} rows…
        </span>
      )}
      {progress.kind === 'done' && (
        <span className="muted" role="status">
          Exported {progress.rows.toLocaleString('en')} rows to {progress.file}
        </span>
      )}
      {progress.kind === 'error' && (
        <Alert tone="error">
          The export stopped after {progress.rows.toLocaleString('en')} rows and nothing was saved:{' '}
          {progress.message}
        </Alert>
      )}
    </div>
  );
}
