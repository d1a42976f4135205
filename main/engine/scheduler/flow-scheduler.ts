import { Cron } from 'croner';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { RunTrigger } from '../../../shared/domain/run.js';

export interface SchedulerDeps {
  readonly flows: () => readonly Flow[];
  readonly trigger: (flowId: string, trigger: RunTrigger) => void;
  /** Highest inbound event seq per connection: new rows wake real-time flows. */
  readonly inboundHeads: () => ReadonlyMap<string, number>;
  readonly emit: (event: LiveEvent) => void;
  readonly now?: () => number;
  readonly realtimePollMs?: number;
  readonly freshnessEveryMs?: number;
}

/**
 * Starts runs on their own: cron schedules (croner), real-time flows when their source connection
 * has received new webhook or FHIR rest-hook events, and a periodic freshness check against each
 * flow's objective. Disabled flows are never started here (manual runs still are, by the API).
 */
export class FlowScheduler {
  private readonly crons = new Map<string, { expression: string; timezone: string | undefined; job: Cron }>();
  private readonly seenHeads = new Map<string, number>();
  private realtimeTimer: NodeJS.Timeout | null = null;
  private freshnessTimer: NodeJS.Timeout | null = null;
  private readonly breached = new Map<string, boolean>();

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.reload();
    for (const [connectionId, seq] of this.deps.inboundHeads()) this.seenHeads.set(connectionId, seq);
    this.realtimeTimer = setInterval(() => this.pollRealtime(), this.deps.realtimePollMs ?? 1000);
    this.realtimeTimer.unref();
    this.freshnessTimer = setInterval(() => this.checkFreshness(), this.deps.freshnessEveryMs ?? 30_000);
    this.freshnessTimer.unref();
  }

  /** Call after any flow change: schedules follow the stored flows. */
  reload(): void {
    const wanted = new Map<string, { expression: string; timezone: string | undefined }>();
    for (const flow of this.deps.flows()) {
      if (flow.enabled && flow.schedule.kind === 'cron') {
        wanted.set(flow.id, { expression: flow.schedule.expression, timezone: flow.schedule.timezone });
      }
    }
    for (const [flowId, current] of this.crons) {
      const next = wanted.get(flowId);
      if (!next || next.expression !== current.expression || next.timezone !== current.timezone) {
        current.job.stop();
        this.crons.delete(flowId);
      }
    }
    for (const [flowId, schedule] of wanted) {
      if (this.crons.has(flowId)) continue;
      try {
        const job = new Cron(
          schedule.expression,
          {
            protect: true,
            unref: true,
            ...(schedule.timezone === undefined ? {} : { timezone: schedule.timezone }),
          },
          () => this.deps.trigger(flowId, 'schedule'),
        );
        this.crons.set(flowId, { ...schedule, job });
      } catch {
        // An invalid expression was refused when the flow was saved; a stored one that croner no
        // longer accepts simply does not schedule (the flow still runs by hand).
      }
    }
  }

  /** When each cron flow runs next (for status and tests). */
  nextRuns(): Map<string, Date | null> {
    return new Map([...this.crons].map(([flowId, entry]) => [flowId, entry.job.nextRun()]));
  }

  stop(): void {
    for (const entry of this.crons.values()) entry.job.stop();
    this.crons.clear();
    if (this.realtimeTimer) clearInterval(this.realtimeTimer);
    if (this.freshnessTimer) clearInterval(this.freshnessTimer);
  }

  pollRealtime(): void {
    const heads = this.deps.inboundHeads();
    const woken = new Set<string>();
    for (const [connectionId, seq] of heads) {
      if (seq > (this.seenHeads.get(connectionId) ?? 0)) woken.add(connectionId);
      this.seenHeads.set(connectionId, seq);
    }
    if (woken.size === 0) return;
    for (const flow of this.deps.flows()) {
      if (flow.enabled && flow.schedule.kind === 'realtime' && woken.has(flow.sourceConnectionId)) {
        this.deps.trigger(flow.id, 'realtime');
      }
    }
  }

  checkFreshness(): void {
    const now = this.deps.now?.() ?? Date.now();
    for (const flow of this.deps.flows()) {
      if (flow.freshnessObjectiveMinutes === null) continue;
      const last = flow.lastSuccessAt === null ? null : Date.parse(flow.lastSuccessAt);
      const breached = last === null || now - last > flow.freshnessObjectiveMinutes * 60_000;
      this.breached.set(flow.id, breached);
      this.deps.emit({
        type: 'flows.freshness',
        flowId: flow.id,
        lastSuccessAt: flow.lastSuccessAt,
        objectiveMinutes: flow.freshnessObjectiveMinutes,
        breached,
      });
    }
  }
}

/** Whether croner accepts the expression (checked when a flow is saved). */
export function cronProblem(expression: string, timezone?: string): string | null {
  try {
    const job = new Cron(expression, { paused: true, ...(timezone === undefined ? {} : { timezone }) });
    const next = job.nextRun();
    job.stop();
    return next === null ? 'The schedule never fires.' : null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
