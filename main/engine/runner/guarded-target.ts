import { setTimeout as sleep } from 'node:timers/promises';
import { TaskCancelledError, timeout, TimeoutStrategy } from 'cockatiel';
import type { Target, TargetOutcome, WriteRequest } from '../../connectors/types.js';
import { TargetCalls, type LeftCall } from './target-calls.js';

export interface GuardedTargetOptions {
  readonly flowId: string;
  readonly runId: string;
  readonly owner: string;
  readonly calls: TargetCalls;
  /** The connection's own per-request timeout. */
  readonly timeoutMs: number;
  /** The most one whole write may take, the connector's own rounds and retries included. */
  readonly budgetMs: number;
  /** Told when a write waits for calls a crashed (or impatient) engine left running in the target. */
  readonly onWait?: (left: readonly LeftCall[], waitMs: number) => void;
  readonly now?: () => number;
}

/** After the budget the write is aborted; a connector that ignores the abort is let go this much later. */
const ABANDON_GRACE_MS = 2000;

/**
 * Wraps a flow's target for one run:
 * - every write is recorded in the ledger of calls in flight before it is sent, and removed once
 *   it has an answer, so a crash leaves evidence of the request that may still be running;
 * - before each write, calls left by an engine that never saw them end are waited out (until their
 *   flow's usual call time has passed since they were sent, never beyond their timeout), so a resumed
 *   batch does not collide with the same batch still being written by the dead engine's request;
 * - no write can hang: past its budget it is aborted, and if the connector still does not return,
 *   its records come back as transient failures (the pipeline retries, then stops the run). The
 *   budget is a cockatiel cooperative timeout whose signal derives from the run's own, so the one
 *   signal the connector sees is aborted by a cancelled run and by the budget alike; a second,
 *   aggressive timeout a grace period later lets go of a connector that ignores it.
 */
export class GuardedTarget implements Target {
  readonly system: string;
  private readonly open = new Set<number>();
  private readonly now: () => number;

  constructor(
    private readonly target: Target,
    private readonly options: GuardedTargetOptions,
  ) {
    this.system = target.system;
    this.now = options.now ?? Date.now;
  }

  async write(request: WriteRequest): Promise<TargetOutcome[]> {
    await this.waitForLeftCalls(request.signal);
    const { calls, flowId } = this.options;
    const id = calls.begin({
      flowId,
      runId: this.options.runId,
      owner: this.options.owner,
      records: request.records.length,
      timeoutMs: this.options.timeoutMs,
    });
    this.open.add(id);
    const started = performance.now();
    const budget = timeout(this.options.budgetMs, {
      strategy: TimeoutStrategy.Cooperative,
      // The signal must say afterwards whether this call was cut short (see below).
      abortOnReturn: false,
    });
    const abandon = timeout(this.options.budgetMs + ABANDON_GRACE_MS, TimeoutStrategy.Aggressive);
    const letGo = { abandoned: false };
    abandon.onTimeout(() => {
      letGo.abandoned = true;
    });
    try {
      return await abandon.execute(() =>
        budget.execute(async ({ signal }) => {
          try {
            return await this.target.write({ ...request, signal });
          } finally {
            // A call cut short (cancelled, or past its budget) may still be running in the target:
            // its row stays for the next write of this flow to wait out.
            if (!signal.aborted) {
              calls.ended(id, {
                flowId,
                records: request.records.length,
                durationMs: performance.now() - started,
              });
            }
          }
        }, request.signal),
      );
    } catch (error) {
      if (letGo.abandoned && error instanceof TaskCancelledError) return this.timedOut(request);
      throw error;
    } finally {
      this.open.delete(id);
    }
  }

  private async waitForLeftCalls(signal: AbortSignal | undefined): Promise<void> {
    const left = this.options.calls.leftBehind(this.options.flowId, this.open);
    if (left.length === 0) return;
    const waitMs = Math.max(0, Math.max(...left.map((call) => TargetCalls.busyUntil(call))) - this.now());
    this.options.onWait?.(left, waitMs);
    if (waitMs > 0) await sleep(waitMs, undefined, signal === undefined ? {} : { signal });
    this.options.calls.forget(left.map((call) => call.id));
  }

  private timedOut(request: WriteRequest): TargetOutcome[] {
    const seconds = Math.round(this.options.budgetMs / 1000);
    return request.records.map((record) => ({
      key: record.key,
      ok: false,
      error: {
        class: 'transient',
        code: 'engine.target-timeout',
        message: `The target did not finish this write within ${seconds} s; the records are sent again.`,
      },
    }));
  }
}

/** How long one write may take in all: a few of the connection's timeouts, at least a minute. */
export function writeBudgetMs(timeoutMs: number): number {
  return Math.max(60_000, timeoutMs * 4);
}
