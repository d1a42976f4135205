import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditReport } from '../../../shared/domain/audit.js';
import { AuditDetail } from '../../../renderer/pages/audit/AuditDetail.js';
import { ReportRows } from '../../../renderer/pages/audit/report/ReportRows.js';
import { ReportSummary } from '../../../renderer/pages/audit/report/ReportSummary.js';

const objects = {
  exc_1: {
    kind: 'exception' as const,
    name: 'Supply consumption: SupplyDelivery SupplyDelivery/sd-1',
    lineage: { sourceId: 'SupplyDelivery/sd-1', sourceType: 'SupplyDelivery', flowId: 'flow_1' },
  },
  ada: { kind: 'operator' as const, name: 'Ada Admin' },
};
const row: AuditEntry = {
  seq: 12,
  at: '2026-12-01T10:00:00Z',
  actor: 'ada',
  action: 'exceptions.note',
  target: 'exc_1',
  outcome: 'ok',
  detail: '{"id":"exc_1","text":"Asked the ward"}',
  hash: 'f'.repeat(64),
};

describe('audit explorer markup', () => {
  it('opens a row to names, the detail annotated with them, the hash and a link to the lineage', () => {
    const html = renderToStaticMarkup(<AuditDetail entry={row} objects={objects} />);
    expect(html).toContain('Supply consumption: SupplyDelivery SupplyDelivery/sd-1');
    expect(html).toContain('href="#/lineage?source=SupplyDelivery%2Fsd-1&amp;type=SupplyDelivery"');
    expect(html).toContain('Follow lineage');
    expect(html).toContain('← Exception: Supply consumption');
    expect(html).toContain('f'.repeat(64));
  });

  it('prints the verification and checkpoint lines, counts, and rows by name', () => {
    const report: AuditReport = {
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
      generatedAt: '2026-12-01T12:00:00Z',
      generatedBy: 'ada',
      totalRows: 3000,
      byOutcome: { ok: 2990, denied: 10, error: 0 },
      topActions: [{ action: 'exceptions.note', count: 3000 }],
      entries: [row],
      truncated: true,
      objects,
      verification: { ok: true, rows: 3100, headSeq: 3100, headHash: 'a'.repeat(64) },
      checkpoint: null,
    };
    const summary = renderToStaticMarkup(<ReportSummary report={report} />);
    expect(summary).toContain('Chain verified: 3,100 rows, head #3100');
    expect(summary).toContain('No signed checkpoint yet');
    expect(summary).toContain('2,990');
    const rows = renderToStaticMarkup(<ReportRows report={report} />);
    expect(rows).toContain('Ada Admin');
    expect(rows).toContain('Exception: Supply consumption');
    expect(rows).not.toContain('>exc_1<');
    expect(rows).toContain('First 1 of 3,000 rows; the CSV export has them all.');
  });
});
