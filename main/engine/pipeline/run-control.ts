/** Thrown at a checkpoint of a cancelled run; the pipeline ends without touching the cursor further. */
export class RunCancelled extends Error {
  constructor() {
    super('The run was cancelled.');
    this.name = 'RunCancelled';
  }
}

/**
 * Pause, resume and cancel for one run. The pipeline calls `checkpoint()` between batches, never in
 * the middle of one, so a batch's outcome is always committed whole before the run stops or waits.
 */
export class RunControl {
  private paused = false;
  private cancelled = false;
  private shuttingDown = false;
  private wake: (() => void) | null = null;
  private readonly abort = new AbortController();
  private readonly waits = new AbortController();

  /** Aborts in-flight source reads and target writes when the run is cancelled. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /**
   * Aborted as soon as the run is cancelled: cuts short the pauses between attempts (a backoff, a
   * peer's Retry-After), which would otherwise hold the cancel for up to a minute. Calls in flight
   * go on (they listen to `signal`), so their answers are still recorded.
   */
  get waitSignal(): AbortSignal {
    return this.waits.signal;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Stopped by an engine shutdown rather than by an operator: the run resumes at the next start. */
  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  pause(): void {
    if (!this.cancelled) this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.release();
  }

  cancel(): void {
    this.cancelled = true;
    this.paused = false;
    if (!this.waits.signal.aborted) this.waits.abort(new RunCancelled());
    this.release();
  }

  /**
   * Stops the run hard: used when the engine shuts down. In-flight calls are aborted; whatever
   * batch they belonged to was not committed, so it is read again on the next run.
   */
  abortNow(): void {
    this.shuttingDown = true;
    this.cancel();
    this.abort.abort(new RunCancelled());
  }

  /** Returns when the run may go on; throws RunCancelled when it must stop. */
  async checkpoint(onPause?: () => void, onResume?: () => void): Promise<void> {
    if (this.cancelled) throw new RunCancelled();
    if (!this.paused) return;
    onPause?.();
    // The getters re-read the flags after each wait (a field read would stay narrowed to `true`).
    while (this.isPaused) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    if (this.isCancelled) throw new RunCancelled();
    onResume?.();
  }

  private release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
