import { checkIntegrityAt, verifyAuditAt } from '../../store/store-tasks.js';
import { StoreError } from '../../store/store-errors.js';
import { describeProblems } from '../../store/integrity/integrity-check.js';
import { restoreAdvice } from '../../store/backup/newest-backup.js';
import { describeVerification } from './verify-audit.js';

export interface VerifyStoreArgs {
  readonly dataDir: string;
}

/**
 * `osc verify-store`: SQLite's full PRAGMA integrity_check (pages, b-trees and every index against
 * its table, which the quick_check at start skips), then the audit chain as `verify-audit` walks it.
 * Exit codes: 0 both intact, 1 damage or a broken chain, 2 the store cannot be opened.
 */
export function verifyStoreCommand(args: VerifyStoreArgs, out: NodeJS.WritableStream): Promise<number> {
  try {
    const integrity = checkIntegrityAt(args.dataDir, 'full');
    if (!integrity.ok) {
      out.write(`store DAMAGED (${describeProblems(integrity)})\n${restoreAdvice(args.dataDir)}\n`);
      return Promise.resolve(1);
    }
    out.write('store OK (PRAGMA integrity_check)\n');
    const audit = verifyAuditAt(args.dataDir);
    out.write(describeVerification(audit));
    return Promise.resolve(audit.ok ? 0 : 1);
  } catch (error) {
    const message = error instanceof StoreError || error instanceof Error ? error.message : String(error);
    out.write(`cannot open the store: ${message}\n`);
    return Promise.resolve(2);
  }
}
