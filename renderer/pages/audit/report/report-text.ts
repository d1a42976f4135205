import {
  AUDIT_REPORT_MAX_ROWS,
  type AuditReport,
  type AuditVerification,
} from '../../../../shared/domain/audit.js';

const count = (n: number) => n.toLocaleString('en');

/** "Chain verified: 1,204 rows, head #1204" or "Chain broken at row #812: hash mismatch". */
export function reportVerificationLine(verification: AuditVerification): string {
  return verification.ok
    ? `Chain verified: ${count(verification.rows)} rows, head #${verification.headSeq}`
    : `Chain broken at row #${verification.brokenSeq}: ${verification.reason}`;
}

/** The newest signed checkpoint, whether it matches this log, or that none was signed yet. */
export function checkpointLine(checkpoint: AuditReport['checkpoint']): string {
  if (checkpoint === null) return 'No signed checkpoint yet';
  const head =
    `Latest signed checkpoint #${checkpoint.id}: row #${checkpoint.seq}, head hash ${checkpoint.headHash}, ` +
    `Merkle root ${checkpoint.merkleRoot}, signed ${checkpoint.at} with key ${checkpoint.keyId}`;
  if (checkpoint.matchesLog) return `${head}, matches the log`;
  return `${head}, does NOT match the log: ${checkpoint.problem ?? 'no reason given'}`;
}

/** Said under the rows when the report holds only the first of them. */
export function truncationNote(
  report: Pick<AuditReport, 'truncated' | 'totalRows' | 'entries'>,
): string | null {
  if (!report.truncated) return null;
  const shown = Math.min(report.entries.length, AUDIT_REPORT_MAX_ROWS);
  return `First ${count(shown)} of ${count(report.totalRows)} rows; the CSV export has them all.`;
}

/** The filters a report (or an export) was made with, as a sentence; "none" when it is the whole period. */
export function filtersLine(filters: {
  readonly action?: string | undefined;
  readonly actor?: string | undefined;
  readonly object?: string | undefined;
  readonly outcome?: string | undefined;
  readonly text?: string | undefined;
  readonly hideReads?: boolean | undefined;
}): string {
  const parts = [
    filters.action === undefined ? null : `action ${filters.action}`,
    filters.actor === undefined ? null : `operator ${filters.actor}`,
    filters.object === undefined ? null : `object ${filters.object}`,
    filters.outcome === undefined ? null : `outcome ${filters.outcome}`,
    filters.text === undefined ? null : `text "${filters.text}"`,
    filters.hideReads === false ? 'page views included' : 'page views left out',
  ].filter((part): part is string => part !== null);
  return parts.join(' · ');
}
