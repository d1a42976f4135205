export interface PeriodicJobOptions<T> {
  /** The work, off the serving thread where it is heavy (the store worker). */
  readonly run: () => Promise<T>;
  /** Every finished run's result. */
  readonly onResult: (result: T) => void;
  /** A run that threw. */
  readonly onError: (error: unknown) => void;
  readonly everyMs: number;
}

/**
 * A job the running console repeats over its store (integrity check, scheduled backup): one run at a time (a slow
 * run is never stacked on the next tick), nothing reported after stop, and a timer that never keeps
 * the process alive.
 */
export function repeatEvery<T>(options: PeriodicJobOptions<T>): { stop(): void } {
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    options
      .run()
      .then(
        (result) => {
          if (!stopped) options.onResult(result);
        },
        (error: unknown) => {
          if (!stopped) options.onError(error);
        },
      )
      .finally(() => {
        running = false;
      });
  }, options.everyMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
