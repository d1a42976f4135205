import type { BackupResult } from '../../store/types.js';
import { repeatEvery } from '../../store/periodic-job.js';
import { SCHEDULED_BACKUP_REASON } from '../../store/backup/prune-scheduled-backups.js';
import type { ServiceDefinition } from './service-supervisor.js';

/** Daily, like the integrity check: a backup copies the whole store. */
export const DEFAULT_BACKUP_INTERVAL_MS = 24 * 60 * 60_000;
/** A week of daily backups. */
export const DEFAULT_SCHEDULED_BACKUPS_KEPT = 7;

export interface ScheduledBackupDeps {
  /** SQLite's online backup, in the store worker (off the serving thread), with its head anchor. */
  readonly backup: (reason: string) => Promise<BackupResult>;
  /** Removes scheduled backups beyond the newest `keep`; answers what it removed. */
  readonly prune: (keep: number) => readonly string[];
  /** Every backup taken or failed: for the audit log and the log file. */
  readonly onBackup: (
    outcome: { ok: true; result: BackupResult; removed: readonly string[] } | { ok: false; error: string },
  ) => void;
  readonly everyMs?: number;
  readonly keep?: number;
}

/**
 * The running console's scheduled backups: so there is always a recent copy to restore when the
 * store is damaged or the disk fails, not only the ones taken before migrations. A backup that
 * fails (disk full, folder not writable) fails the service, so the Services section turns red and
 * says why; the restarted service tries again at its next interval and a good backup brings it back.
 */
export function scheduledBackupService(deps: ScheduledBackupDeps): ServiceDefinition {
  const keep = deps.keep ?? DEFAULT_SCHEDULED_BACKUPS_KEPT;
  return {
    name: 'scheduled-backup',
    label: 'Scheduled backups',
    start(context) {
      let taken = 0;
      let last: BackupResult | null = null;
      const job = repeatEvery({
        run: async () => {
          const result = await deps.backup(SCHEDULED_BACKUP_REASON);
          return { result, removed: deps.prune(keep) };
        },
        everyMs: deps.everyMs ?? DEFAULT_BACKUP_INTERVAL_MS,
        onResult: ({ result, removed }) => {
          taken += 1;
          last = result;
          deps.onBackup({ ok: true, result, removed });
        },
        onError: (error) => {
          const message = error instanceof Error ? error.message : String(error);
          deps.onBackup({ ok: false, error: message });
          context.died(new Error(`The scheduled backup failed: ${message}`));
        },
      });
      return Promise.resolve({
        detail: () =>
          last === null
            ? `none yet this run; keeps the newest ${keep}`
            : `${taken} taken this run, last ${last.path}; keeps the newest ${keep}`,
        stop: () => job.stop(),
      });
    },
  };
}
