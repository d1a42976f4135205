import { closeSync, openSync, writeSync } from 'node:fs';
import { createAuditExplorer } from '../../api/audit-explorer.js';
import { openStoreReadOnly } from '../../store/open-store-read-only.js';
import { StoreError } from '../../store/store-errors.js';

export interface ExportAuditArgs {
  readonly dataDir: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
  /** A file to write; standard output when absent. */
  readonly out?: string | undefined;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `osc export-audit --from ISO --to ISO [--out FILE]`: the audit rows of [from, to) as the same CSV
 * the console's export writes (oldest first, header once, formula cells defused), read chunk by
 * chunk over a read-only connection, so it runs beside a running console and never changes the store.
 * Exit codes: 0 written, 2 bad arguments or the store cannot be opened.
 */
export function exportAuditCommand(args: ExportAuditArgs, out: NodeJS.WritableStream): Promise<number> {
  const problem = periodProblem(args.from, args.to);
  if (problem !== null) {
    out.write(`export-audit: ${problem}\n`);
    return Promise.resolve(2);
  }
  let db;
  try {
    db = openStoreReadOnly(args.dataDir);
  } catch (error) {
    out.write(
      `cannot open the store: ${error instanceof StoreError || error instanceof Error ? error.message : String(error)}\n`,
    );
    return Promise.resolve(2);
  }
  const fd = args.out === undefined ? null : openSync(args.out, 'w');
  try {
    const explorer = createAuditExplorer(db);
    let afterSeq: number | undefined;
    let rows = 0;
    for (;;) {
      const chunk = explorer.csvChunk({ from: args.from, to: args.to, afterSeq });
      if (fd === null) out.write(chunk.csv);
      else writeSync(fd, chunk.csv);
      rows += chunk.rows;
      if (chunk.nextAfterSeq === null) break;
      afterSeq = chunk.nextAfterSeq;
    }
    if (args.out !== undefined)
      out.write(`wrote ${rows} audit rows of ${args.from} .. ${args.to} to ${args.out}\n`);
    return Promise.resolve(0);
  } finally {
    if (fd !== null) closeSync(fd);
    db.close();
  }
}

function periodProblem(from: string | undefined, to: string | undefined): string | null {
  if (from === undefined || to === undefined)
    return 'needs --from and --to (ISO date and time, e.g. 2026-01-01T00:00:00Z)';
  for (const [flag, value] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (!ISO_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value))) {
      return `${flag} must be an ISO date and time with Z or an offset, not "${value}"`;
    }
  }
  return Date.parse(from) < Date.parse(to) ? null : 'the period must end (--to) after it starts (--from)';
}
