import { verifyAuditAt } from '../../store/store-tasks.js';
import { StoreError } from '../../store/store-errors.js';
import type { StoreAuditVerification } from '../../store/audit/verify-audit-chain.js';

export interface VerifyAuditArgs {
  readonly dataDir: string;
}

/**
 * `osc verify-audit`: a quick_check of the store, then a walk of its audit chain, without changing it.
 * Exit codes: 0 intact (an anchor merely behind after a crash is intact, and said so), 1 broken
 * (names the first broken row) or the store is damaged, 2 the store cannot be opened.
 * The CLI has no window or server to keep responsive, so it verifies on its own thread.
 */
export function verifyAuditCommand(args: VerifyAuditArgs, out: NodeJS.WritableStream): Promise<number> {
  let result;
  try {
    result = verifyAuditAt(args.dataDir);
  } catch (error) {
    if (error instanceof StoreError && error.code === 'store-damaged') {
      out.write(`audit log NOT VERIFIED: ${error.message}\n`);
      return Promise.resolve(1);
    }
    out.write(`cannot open the store: ${describe(error)}\n`);
    return Promise.resolve(2);
  }
  out.write(describeVerification(result));
  return Promise.resolve(result.ok ? 0 : 1);
}

/** The lines `verify-audit` (and `verify-store`) print for a chain verification. */
export function describeVerification(result: StoreAuditVerification): string {
  if (!result.ok) return `audit log BROKEN at row #${result.brokenSeq}: ${result.reason}\n`;
  const summary = `audit log OK: ${result.rows} rows, head #${result.headSeq} ${result.headHash.slice(0, 12)}\n`;
  if (result.anchorBehind === undefined) return summary;
  return (
    `${summary}note: the head anchor is behind (it records row #${result.anchorBehind.seq}, which is in ` +
    `the chain, and every later row chains from it): the console stopped between an audit commit and ` +
    'its anchor write. Not tampering; the next start of the console repairs the anchor and records that.\n'
  );
}

function describe(error: unknown): string {
  if (error instanceof StoreError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
