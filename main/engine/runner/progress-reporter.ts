import type { LiveEvent } from '../../../shared/contract/events.js';
import type { RunCounts, RunStatus } from '../../../shared/domain/run.js';
import type { PipelineProgress } from '../pipeline/run-pipeline.js';
import type { FailedRecord } from '../store/batch-commit.js';

const PROGRESS_EVERY_MS = 250;
/** A run where everything fails must not flood every console: the rest are in the store. */
const MAX_FAILURE_EVENTS_PER_SECOND = 20;

/** Turns pipeline callbacks into throttled live events for one run. */
export class ProgressReporter {
  private lastSent = 0;
  private latest: PipelineProgress = {
    counts: { read: 0, mapped: 0, unchanged: 0, written: 0, failed: 0 },
    loadCalls: 0,
    loadMs: 0,
    queueDepth: 0,
  };
  private readonly started = performance.now();
  private failureWindowStart = 0;
  private failuresInWindow = 0;

  constructor(
    private readonly runId: string,
    private readonly flowId: string,
    private readonly emit: (event: LiveEvent) => void,
  ) {}

  get counts(): RunCounts {
    return this.latest.counts;
  }

  progress(progress: PipelineProgress): void {
    this.latest = progress;
    const now = performance.now();
    if (now - this.lastSent >= PROGRESS_EVERY_MS) this.send('running');
  }

  failure(failure: FailedRecord): void {
    const now = performance.now();
    if (now - this.failureWindowStart > 1000) {
      this.failureWindowStart = now;
      this.failuresInWindow = 0;
    }
    this.failuresInWindow += 1;
    if (this.failuresInWindow > MAX_FAILURE_EVENTS_PER_SECOND) return;
    this.emit({
      type: 'runs.failure',
      runId: this.runId,
      flowId: this.flowId,
      stage: failure.stage,
      sourceId: failure.source.sourceId,
      errorCode: failure.error.code,
    });
  }

  send(status: RunStatus): void {
    this.lastSent = performance.now();
    const seconds = Math.max(0.001, (this.lastSent - this.started) / 1000);
    const { counts, loadCalls, loadMs, queueDepth } = this.latest;
    this.emit({
      type: 'runs.progress',
      progress: {
        runId: this.runId,
        flowId: this.flowId,
        status,
        counts,
        throughput: Math.round(counts.read / seconds),
        loadLatencyMs: loadCalls === 0 ? 0 : Math.round(loadMs / loadCalls),
        queueDepth,
      },
    });
  }
}
