import { repeatEvery } from '../periodic-job.js';
import type { IntegrityReport } from './integrity-check.js';

export interface IntegrityScheduleOptions {
  /** Runs the full check off the serving thread (the store worker's `checkIntegrity(dataDir, 'full')`). */
  readonly check: () => Promise<IntegrityReport>;
  /** Called with every finished check; damage is the caller's to report (log, audit, console status). */
  readonly onReport: (report: IntegrityReport) => void;
  /** A check that could not run at all (worker gone, store busy): not a verdict on the file. */
  readonly onError: (error: unknown) => void;
  readonly everyMs?: number;
}

/** Daily: integrity_check reads every page and index, so it is kept away from busy hours' repeats. */
export const DEFAULT_INTEGRITY_INTERVAL_MS = 24 * 60 * 60_000;

/**
 * The running console's periodic full integrity_check: quick_check at start catches what a crash or
 * a bad disk left before this run; this catches what goes bad while the console keeps running.
 */
export function scheduleIntegrityChecks(options: IntegrityScheduleOptions): { stop(): void } {
  return repeatEvery({
    run: options.check,
    onResult: options.onReport,
    onError: options.onError,
    everyMs: options.everyMs ?? DEFAULT_INTEGRITY_INTERVAL_MS,
  });
}
