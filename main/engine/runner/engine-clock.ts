/** The engine's periodic work, each job guarded so one failure is logged and the clock goes on. */
export interface EngineClockJobs {
  readonly supervise: () => unknown;
  readonly retryDue: () => unknown;
  readonly renewLeases: () => unknown;
  /** Probes the open breakers whose backoff has passed (asynchronous; its own errors are its own). */
  readonly probeBreakers: () => Promise<void>;
}

export interface EngineClockTimes {
  /** How often unfinished runs no live engine runs are looked for; 0: never. */
  readonly superviseEveryMs?: number | undefined;
  /** How often due automatic retries and fixes are looked for; 0: never. */
  readonly autoRetryEveryMs?: number | undefined;
  readonly leaseMs: number;
  /** How often open breakers are looked at for a due probe; 0: never. */
  readonly breakerProbeEveryMs?: number | undefined;
}

/** Runs `work`, logging (never throwing) what went wrong: a timer's job must not kill the engine. */
export function safely(
  log: ((message: string) => void) | undefined,
  what: string,
  work: () => unknown,
): void {
  try {
    work();
  } catch (error) {
    log?.(`engine ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Starts the timers (unref'd: they never keep a process alive); the caller clears them. */
export function startEngineClock(
  times: EngineClockTimes,
  jobs: EngineClockJobs,
  log: ((message: string) => void) | undefined,
): NodeJS.Timeout[] {
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, what: string, job: () => unknown): void => {
    if (ms > 0) timers.push(setInterval(() => safely(log, what, job), ms));
  };
  every(times.superviseEveryMs ?? 5000, 'supervise', jobs.supervise);
  every(times.autoRetryEveryMs ?? 5000, 'auto-retry', jobs.retryDue);
  // Leases are renewed every third of their life, and at least every second.
  every(Math.max(1000, Math.floor(times.leaseMs / 3)), 'renew leases', jobs.renewLeases);
  every(
    times.breakerProbeEveryMs ?? 5000,
    'breaker probes',
    () => void jobs.probeBreakers().catch(() => undefined),
  );
  for (const timer of timers) timer.unref();
  return timers;
}
