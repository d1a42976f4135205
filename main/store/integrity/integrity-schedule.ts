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
 * One check at a time (a slow check is never stacked); the timer never keeps the process alive.
 */
export function scheduleIntegrityChecks(options: IntegrityScheduleOptions): { stop(): void } {
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    options
      .check()
      .then(
        (report) => {
          if (!stopped) options.onReport(report);
        },
        (error: unknown) => {
          if (!stopped) options.onError(error);
        },
      )
      .finally(() => {
        running = false;
      });
  }, options.everyMs ?? DEFAULT_INTEGRITY_INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
