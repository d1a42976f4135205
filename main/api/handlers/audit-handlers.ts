import { AUDIT_REPORT_MAX_ROWS, type AuditReport } from '../../../shared/domain/audit.js';
import { publicKeyOf } from '../../store/audit/checkpoints/checkpoint-signer.js';
import { auditSearchDetail, createAuditExplorer } from '../audit-explorer.js';
import { latestCheckpointForReport } from '../audit-report-checkpoint.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type AuditHandlers = {
  readonly 'audit.list': Handler<'audit.list'>;
  readonly 'audit.exportCsv': Handler<'audit.exportCsv'>;
  readonly 'audit.report': Handler<'audit.report'>;
  readonly 'audit.verify': Handler<'audit.verify'>;
  readonly 'store.backup': Handler<'store.backup'>;
};

export function auditHandlers(services: Services): AuditHandlers {
  const explorer = createAuditExplorer(services.store.db);
  return {
    'audit.list': (input) => explorer.list(input),
    'audit.exportCsv': (input, call) => {
      const chunk = explorer.csvChunk(input);
      // Which period and filters were exported, and how much: an export is itself worth auditing.
      call.audit.detail = {
        ...auditSearchDetail(input),
        ...(input.afterSeq === undefined ? {} : { afterSeq: input.afterSeq }),
        rows: chunk.rows,
      };
      return chunk;
    },
    'audit.report': async (input, call) => {
      // Counting the period and walking the whole chain both run in the store worker, off the
      // serving thread (a year of a busy log is seconds of work); names resolve here, for one page.
      const [summary, verification] = await Promise.all([
        services.heavy.auditSummary(explorer.filterOf(input), AUDIT_REPORT_MAX_ROWS),
        services.heavy.verifyAudit(),
      ]);
      const { publicKeyPem } = await publicKeyOf(services.vault);
      const report: AuditReport = {
        from: input.from,
        to: input.to,
        generatedAt: new Date().toISOString(),
        generatedBy: call.operator?.username ?? 'unknown',
        ...summary,
        objects: explorer.resolve(summary.entries),
        verification,
        checkpoint: latestCheckpointForReport(services.store.db, publicKeyPem),
      };
      call.audit.detail = {
        ...auditSearchDetail(input),
        rows: summary.totalRows,
        chainOk: verification.ok,
        checkpointMatches: report.checkpoint?.matchesLog ?? null,
      };
      return report;
    },
    // Both walk or copy the whole store: they run in the store worker, off the serving thread.
    'audit.verify': async (_input, call) => {
      const result = await services.heavy.verifyAudit();
      call.audit.detail = result.ok
        ? { ok: true, rows: result.rows }
        : { ok: false, brokenSeq: result.brokenSeq };
      return result;
    },
    'store.backup': async (_input, call) => {
      const result = await services.heavy.backup('on-demand');
      call.audit.detail = { path: result.path, bytes: result.bytes };
      return result;
    },
  };
}
