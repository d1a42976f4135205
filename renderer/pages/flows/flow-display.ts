import type { Flow, FlowSchedule } from '../../../shared/domain/flow.js';
import type { RunCounts, RunProgress, RunStatus, RunTrigger } from '../../../shared/domain/run.js';
import type { FreshnessEvent } from '../../stores/flows-store.js';
import { relativeTime } from '../../app/format-time.js';

/** A cron schedule is shown as its expression: operators who write cron read cron. */
export function scheduleText(schedule: FlowSchedule): string {
  switch (schedule.kind) {
    case 'manual':
      return 'Manual';
    case 'realtime':
      return 'Real time (on webhook)';
    case 'cron':
      return schedule.timezone === undefined
        ? `Cron ${schedule.expression}`
        : `Cron ${schedule.expression} (${schedule.timezone})`;
  }
}

export const RUN_STATUS_LABELS: Readonly<Record<RunStatus, string>> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  succeeded: 'Succeeded',
  'completed-with-failures': 'Completed with failures',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export const RUN_TRIGGER_LABELS: Readonly<Record<RunTrigger, string>> = {
  manual: 'Run now',
  schedule: 'Schedule',
  realtime: 'Real time',
  backfill: 'Backfill',
  resume: 'Resume',
  replay: 'Replay',
};

/** Badge tone of a run status, as the stylesheet names them. */
export function runStatusTone(status: RunStatus): 'passed' | 'failed' | 'warning' | 'neutral' {
  if (status === 'succeeded') return 'passed';
  if (status === 'failed' || status === 'interrupted') return 'failed';
  if (status === 'completed-with-failures' || status === 'cancelled' || status === 'paused') return 'warning';
  return 'neutral';
}

/** "read 120 · mapped 118 · unchanged 3 · written 115 · failed 2" */
export function countsText(counts: RunCounts): string {
  return (
    `read ${counts.read} · mapped ${counts.mapped} · unchanged ${counts.unchanged} · ` +
    `written ${counts.written} · failed ${counts.failed}`
  );
}

export interface Freshness {
  readonly state: 'none' | 'ok' | 'breached';
  /** The whole verdict in one sentence (tooltips, tests): "Breached: objective 15 min, never synced". */
  readonly text: string;
  /** The part after the verdict word: "objective 15 min, never synced". */
  readonly detail: string;
}

/**
 * Freshness against the flow's objective. The engine's own verdict (a flows.freshness event) wins
 * when it is about the same last success; otherwise it is computed the way the engine does, so a
 * page opened between two checks is not blank.
 */
export function freshnessOf(
  flow: Flow,
  event: FreshnessEvent | undefined,
  now: Date = new Date(),
): Freshness {
  const objective = flow.freshnessObjectiveMinutes;
  if (objective === null) return { state: 'none', text: 'No objective', detail: '' };
  const lastSuccessAt = flow.lastSuccessAt;
  const last = lastSuccessAt === null ? null : Date.parse(lastSuccessAt);
  const computed = last === null || now.getTime() - last > objective * 60_000;
  const breached =
    event !== undefined && event.lastSuccessAt === lastSuccessAt ? event.breached || computed : computed;
  const age = lastSuccessAt === null ? 'never synced' : `last good sync ${relativeTime(lastSuccessAt, now)}`;
  const detail = `objective ${objective} min, ${age}`;
  return {
    state: breached ? 'breached' : 'ok',
    text: `${breached ? 'Breached' : 'Fresh'}: ${detail}`,
    detail,
  };
}

/** The progress of a run still going (queued, running, paused); null when none is. */
export function activeProgress(progress: RunProgress | undefined): RunProgress | null {
  if (progress === undefined) return null;
  return progress.status === 'running' || progress.status === 'paused' || progress.status === 'queued'
    ? progress
    : null;
}

/** A selector or target operation, compact: `{"model":"res.partner","kind":"upsert"}`. */
export function settingsText(value: Readonly<Record<string, unknown>>): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** "12.4 s", "850 ms", "—" for a run that has not ended (or not started). */
export function durationText(startedAt: string | null, finishedAt: string | null): string {
  if (startedAt === null || finishedAt === null) return '—';
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (Number.isNaN(ms) || ms < 0) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
