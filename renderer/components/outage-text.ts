import type { ConnectionBreakerState } from '../../shared/domain/connection-breaker.js';
import type { FallbackState } from '../../shared/domain/fallback.js';
import type { OutageExposure, OutboxDrainView, OutboxState } from '../../shared/domain/outage.js';

/**
 * The Outages page's and the banner's words: durations, the data-loss exposure, replay progress.
 * Pure, so the wording is unit-tested without rendering.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "under 1 min", "14 min", "2 h 14 min", "3 d 5 h": how long something has lasted, to the minute. */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < MINUTE) return 'under 1 min';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) {
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return minutes === 0 ? `${Math.floor(ms / HOUR)} h` : `${Math.floor(ms / HOUR)} h ${minutes} min`;
  }
  const hours = Math.floor((ms % DAY) / HOUR);
  return hours === 0 ? `${Math.floor(ms / DAY)} d` : `${Math.floor(ms / DAY)} d ${hours} h`;
}

/** How long ago an instant was ("2 h 14 min"); unreadable input is shown as it came. */
export function ageText(iso: string, now: Date): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return durationText(now.getTime() - at);
}

/** "03:41" in the operator's own time, or "2 Dec, 03:41" when it was not today. */
export function clockText(iso: string, now: Date, locale?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const sameDay = new Date(at).toDateString() === now.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(locale, options).format(at);
}

export const plural = (count: number, one: string, many: string): string =>
  `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/**
 * The exposure in one sentence: "42 writes waiting in the outbox; data-loss exposure: 2 h 14 min
 * (oldest since 03:41)". The exposure is the age of the oldest waiting write: what would be lost
 * if the outbox were lost now.
 */
export function exposureText(exposure: OutageExposure, now: Date, locale?: string): string {
  if (exposure.waiting === 0 || exposure.oldestQueuedAt === null) return 'No writes waiting in the outbox.';
  const held = exposure.held > 0 ? ` (${exposure.held.toLocaleString('en-US')} of them held for review)` : '';
  const waiting = plural(exposure.waiting, 'write', 'writes') + held;
  const age = ageText(exposure.oldestQueuedAt, now);
  const since = clockText(exposure.oldestQueuedAt, now, locale);
  return `${waiting} waiting in the outbox; data-loss exposure: ${age} (oldest since ${since}).`;
}

/** "about 9 s left", "about 4 min left", "about 1 h 5 min left"; "time left unknown" without a pace. */
export function etaText(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return 'time left unknown';
  if (seconds < 1) return 'almost done';
  if (seconds < 60) return `about ${Math.ceil(seconds)} s left`;
  return `about ${durationText(Math.ceil(seconds / 60) * MINUTE)} left`;
}

/** "35 writes/s", "0.4 writes/s"; "no pace yet" before the first write settled. */
export function rateText(perSecond: number | null): string {
  if (perSecond === null || !Number.isFinite(perSecond)) return 'no pace yet';
  const shown = perSecond >= 10 ? Math.round(perSecond).toString() : perSecond.toFixed(1);
  return `${shown} writes/s`;
}

/** "120 of 400 sent · 35 writes/s · about 9 s left", or the state when the replay does not move. */
export function drainText(drain: OutboxDrainView): string {
  const progress = `${drain.sent.toLocaleString('en-US')} of ${drain.total.toLocaleString('en-US')} sent`;
  if (drain.status === 'paused') return `${progress} · paused`;
  if (drain.status === 'queued') return `${progress} · waiting to start`;
  return `${progress} · ${rateText(drain.perSecond)} · ${etaText(drain.etaSeconds)}`;
}

/** What a breaker state means for the people who run the outage. */
export const BREAKER_STATE_LABELS: Readonly<Record<ConnectionBreakerState, string>> = {
  closed: 'Up',
  open: 'Down',
  'half-open': 'Checking',
};

export const OUTBOX_STATE_LABELS: Readonly<Record<OutboxState, string>> = {
  waiting: 'Waiting',
  sent: 'Sent',
  unchanged: 'Unchanged',
  failed: 'Failed',
};

export const OUTBOX_REASON_LABELS: Readonly<Record<'breaker' | 'degraded' | 'behind', string>> = {
  breaker: 'Target down',
  degraded: 'Degraded mode',
  behind: 'Behind older writes',
};

export const FALLBACK_STATE_LABELS: Readonly<Record<FallbackState, string>> = {
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Failed',
  matched: 'Matched',
  differs: 'Differs',
};

/** Badge tone, as the stylesheet names them. */
export function fallbackStateTone(state: FallbackState): 'passed' | 'failed' | 'warning' | 'neutral' {
  if (state === 'matched' || state === 'sent') return 'passed';
  if (state === 'failed') return 'failed';
  if (state === 'differs') return 'warning';
  return 'neutral';
}
