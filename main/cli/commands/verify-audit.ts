import { verifyAuditAt } from '../../store/store-tasks.js';
import { StoreError } from '../../store/store-errors.js';

export interface VerifyAuditArgs {
  readonly dataDir: string;
}

/**
 * `osc verify-audit`: walks the audit chain of the store in `dataDir` without changing it.
 * Exit codes: 0 intact, 1 broken (names the first broken row), 2 the store cannot be opened.
 * The CLI has no window or server to keep responsive, so it verifies on its own thread.
 */
export function verifyAuditCommand(args: VerifyAuditArgs, out: NodeJS.WritableStream): Promise<number> {
  let result;
  try {
    result = verifyAuditAt(args.dataDir);
  } catch (error) {
    out.write(`cannot open the store: ${describe(error)}\n`);
    return Promise.resolve(2);
  }
  if (result.ok) {
    out.write(`audit log OK: ${result.rows} rows, head #${result.headSeq} ${result.headHash.slice(0, 12)}\n`);
    return Promise.resolve(0);
  }
  out.write(`audit log BROKEN at row #${result.brokenSeq}: ${result.reason}\n`);
  return Promise.resolve(1);
}

function describe(error: unknown): string {
  if (error instanceof StoreError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
