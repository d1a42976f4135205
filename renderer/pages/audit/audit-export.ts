import type { OperationFunctions } from '../../../shared/contract/bridge.js';
import type { AuditSearchInput } from '../../stores/audit-filter.js';

/** Chunks asked at most; a period's export that needs more is refused rather than looping forever. */
export const MAX_EXPORT_CHUNKS = 100_000;

export type CsvExport =
  | { readonly ok: true; readonly csv: string; readonly rows: number }
  | { readonly ok: false; readonly message: string; readonly rows: number };

/**
 * The whole export of the matching rows, oldest first: asks chunk after chunk with `afterSeq` until the
 * server says the period is exhausted (`nextAfterSeq` null), then joins them in order. A failed chunk
 * or a cursor that does not move ends it with an error: never a silently partial file.
 */
export async function exportAuditCsv(
  ops: Pick<OperationFunctions, 'audit.exportCsv'>,
  search: AuditSearchInput,
  onProgress: (rows: number) => void = () => undefined,
): Promise<CsvExport> {
  const chunks: string[] = [];
  let rows = 0;
  let afterSeq: number | undefined;
  for (let asked = 0; asked < MAX_EXPORT_CHUNKS; asked++) {
    const result = await ops['audit.exportCsv']({
      ...search,
      ...(afterSeq === undefined ? {} : { afterSeq }),
    });
    if (!result.ok) return { ok: false, message: result.error.message, rows };
    chunks.push(result.value.csv);
    rows += result.value.rows;
    onProgress(rows);
    const next = result.value.nextAfterSeq;
    if (next === null) return { ok: true, csv: chunks.join(''), rows };
    if (afterSeq !== undefined && next <= afterSeq)
      return { ok: false, message: `The export did not move past row #${afterSeq}.`, rows };
    afterSeq = next;
  }
  return { ok: false, message: 'The export is too large to finish in one file.', rows };
}

/** Hands the text to the browser as a download (a[download]; Electron saves it the same way). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
