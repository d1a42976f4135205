/**
 * The anomaly judge (issue 12, item 2): deterministic and pure. A batch's measure (its volume, or its
 * amount) is compared with the flow's own comparable history — batches of the same weekday, or, for a
 * batch on the last day of a month, the earlier month-end batches (month-end billing is normal at
 * month end and would look anomalous next to a Tuesday) — with the modified z-score of Iglewicz and
 * Hoaglin: 0.6745 · (x − median) / MAD, anomalous above the threshold (3.5). When the MAD is 0 (half
 * the history identical) the mean absolute deviation stands in (scaled by 1.253314 so it estimates
 * the same spread); when that is 0 too (all history identical), only a ratio of at least
 * `FLAT_RATIO` to the median is anomalous. Nothing is judged before `minHistory` comparable batches.
 */

export interface BatchMarkers {
  /** 0 = Sunday … 6 = Saturday (UTC). */
  readonly weekday: number;
  /** Whether the batch ran on the last day of its month (UTC). */
  readonly monthEnd: boolean;
}

export interface PastBatch extends BatchMarkers {
  readonly value: number;
}

export interface JudgeSettings {
  readonly minHistory: number;
  readonly threshold: number;
  /** How many comparable batches at most (the latest): the history the explanation speaks of. */
  readonly window?: number;
}

export type Judgement =
  | { readonly judged: false; readonly comparable: number }
  | {
      readonly judged: true;
      readonly anomalous: boolean;
      readonly score: number;
      readonly median: number;
      readonly comparable: number;
      readonly method: 'mad' | 'meanad' | 'ratio';
    };

const MAD_FACTOR = 0.6745;
/** Scales the mean absolute deviation to the same spread as the MAD-based score (IBM SPSS's rule). */
const MEANAD_FACTOR = 1.253314;
/** When the whole history is one value: anomalous only at this ratio to it (or its inverse). */
export const FLAT_RATIO = 3;
const DEFAULT_WINDOW = 20;

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The weekday and month-end markers of a moment (UTC, like every stored time). */
export function markersOf(at: Date): BatchMarkers {
  const tomorrow = new Date(at.getTime() + 86_400_000);
  return { weekday: at.getUTCDay(), monthEnd: tomorrow.getUTCMonth() !== at.getUTCMonth() };
}

/** The past batches a batch is compared with: month-end with month-end, otherwise same weekday. */
export function comparable(
  history: readonly PastBatch[],
  batch: BatchMarkers,
  window = DEFAULT_WINDOW,
): number[] {
  const alike = history.filter((past) =>
    batch.monthEnd ? past.monthEnd : !past.monthEnd && past.weekday === batch.weekday,
  );
  return alike.slice(-window).map((past) => past.value);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Judges one value against its comparable history (oldest first). */
export function judge(
  value: number,
  batch: BatchMarkers,
  history: readonly PastBatch[],
  settings: JudgeSettings,
): Judgement {
  const values = comparable(history, batch, settings.window);
  if (values.length < settings.minHistory) return { judged: false, comparable: values.length };
  const med = median(values);
  const mad = median(values.map((v) => Math.abs(v - med)));
  const common = { judged: true as const, median: med, comparable: values.length };
  if (mad > 0) {
    const score = (MAD_FACTOR * (value - med)) / mad;
    return { ...common, score, anomalous: Math.abs(score) > settings.threshold, method: 'mad' };
  }
  const meanAd = values.reduce((sum, v) => sum + Math.abs(v - med), 0) / values.length;
  if (meanAd > 0) {
    const score = (value - med) / (MEANAD_FACTOR * meanAd);
    return { ...common, score, anomalous: Math.abs(score) > settings.threshold, method: 'meanad' };
  }
  // Every comparable batch had the same value: no spread to measure, so only a large ratio counts.
  const ratio = ratioOf(value, med);
  return { ...common, score: ratio, anomalous: ratio >= FLAT_RATIO, method: 'ratio' };
}

/** max(x/m, m/x); a change from or to zero is infinitely large. */
function ratioOf(value: number, med: number): number {
  if (value === med) return 1;
  if (value === 0 || med === 0) return Number.POSITIVE_INFINITY;
  return Math.max(value / med, med / value);
}

/** "412 records: 12× the median of the last 8 Mondays (34)". */
export function explain(
  value: number,
  unit: string,
  batch: BatchMarkers,
  judgement: Extract<Judgement, { judged: true }>,
): string {
  const what = batch.monthEnd ? 'month-end batches' : `${WEEKDAYS[batch.weekday] ?? 'day'}s`;
  const med = judgement.median;
  let relation = 'against the median';
  if (med !== 0 && value >= med) relation = `${times(value / med)}× the median`;
  else if (med !== 0 && value > 0) relation = `1/${times(med / value)} of the median`;
  else if (med !== 0) relation = 'none, against the median';
  return `${round(value)} ${unit}: ${relation} of the last ${judgement.comparable} ${what} (${round(med)})`;
}

/** Ratios read as people say them: 12×, 2.5×. */
function times(ratio: number): string {
  return ratio >= 10 ? String(Math.round(ratio)) : round(ratio);
}

function round(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10);
}
