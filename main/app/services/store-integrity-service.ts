import type { IntegrityReport } from '../../store/integrity/integrity-check.js';
import { scheduleIntegrityChecks } from '../../store/integrity/integrity-schedule.js';
import type { ServiceDefinition } from './service-supervisor.js';

export interface StoreIntegrityDeps {
  /** The full integrity_check, run in the store worker (off the serving thread). */
  readonly check: () => Promise<IntegrityReport>;
  /** Damage found while the console runs: logged and written to the audit log by the caller. */
  readonly onDamage: (problems: readonly string[]) => void;
  readonly everyMs?: number;
}

/**
 * The running console's periodic full `integrity_check` (quick_check at start only sees what was
 * wrong before this run). Damage makes the service fail, so the console's Services section turns
 * red and says what SQLite found; the supervisor keeps checking at its backoff, and a later clean
 * check (after a restore) brings it back to running.
 */
export function storeIntegrityService(deps: StoreIntegrityDeps): ServiceDefinition {
  return {
    name: 'store-integrity',
    label: 'Store integrity check',
    start(context) {
      let checks = 0;
      let lastAt: string | null = null;
      const schedule = scheduleIntegrityChecks({
        check: deps.check,
        ...(deps.everyMs === undefined ? {} : { everyMs: deps.everyMs }),
        onReport: (report) => {
          checks += 1;
          lastAt = new Date().toISOString();
          if (report.ok) return;
          deps.onDamage(report.problems);
          context.died(
            new Error(`SQLite integrity_check found damage: ${report.problems.slice(0, 3).join('; ')}`),
          );
        },
        // A check that could not run (worker gone, store busy) says nothing about the file.
        onError: () => undefined,
      });
      return Promise.resolve({
        detail: () => (lastAt === null ? 'no full check yet' : `${checks} full checks, last ${lastAt}`),
        stop: () => schedule.stop(),
      });
    },
  };
}
