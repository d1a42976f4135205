import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkpointsSignedBy } from '../../store/backup/backup-checkpoint-key-check.js';
import { describeRestore, restoreBackup, RestoreRefusedError } from '../../store/backup/restore-backup.js';

export interface RestoreArgs {
  readonly dataDir: string;
  readonly backup: string;
  /** A PEM public key kept apart from the store: every checkpoint in the backup must verify with it. */
  readonly publicKey?: string | undefined;
}

/**
 * `osc restore BACKUP_FILE --data-dir DIR [--public-key FILE]`: verifies the backup (integrity_check,
 * schema version, its audit chain against its own anchor, its newest checkpoint; with --public-key,
 * every checkpoint's signature by that key) and only then swaps it in, keeping the store it replaces.
 * Exit codes: 0 restored; 1 refused, the backup did not verify; 2 the backup file is missing or
 * something else stopped it; 3 refused, a console has the store open. A refusal changes nothing.
 */
export function restoreCommand(args: RestoreArgs, out: NodeJS.WritableStream): Promise<number> {
  try {
    const checks = args.publicKey === undefined ? [] : [checkpointsSignedBy(readPublicKey(args.publicKey))];
    const result = restoreBackup({
      backupPath: resolve(args.backup),
      dataDir: args.dataDir,
      at: new Date(),
      checks,
    });
    out.write(describeRestore(result));
    return Promise.resolve(0);
  } catch (error) {
    if (error instanceof RestoreRefusedError) {
      out.write(`restore REFUSED: ${error.message}\n`);
      if (error.code === 'store-in-use') return Promise.resolve(3);
      return Promise.resolve(error.code === 'backup-missing' ? 2 : 1);
    }
    out.write(`restore failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return Promise.resolve(2);
  }
}

/** The key file, or an error that names it (before anything is copied). */
function readPublicKey(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read the public key ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
