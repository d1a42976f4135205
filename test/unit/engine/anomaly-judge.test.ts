import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  explain,
  judge,
  markersOf,
  median,
  type BatchMarkers,
  type PastBatch,
} from '../../../main/engine/anomaly/anomaly-judge.js';

const SETTINGS = { minHistory: 8, threshold: 3.5 };
const MONDAY: BatchMarkers = { weekday: 1, monthEnd: false };
const FRIDAY: BatchMarkers = { weekday: 5, monthEnd: false };
const MONTH_END: BatchMarkers = { weekday: 3, monthEnd: true };

/** Eight weeks of a clinic's batches: ~34 on Mondays, ~10 on other weekdays, ~300 at month end. */
function seededHistory(): PastBatch[] {
  const history: PastBatch[] = [];
  const wiggle = [0, 2, -1, 3, -2, 1, -3, 2];
  for (let week = 0; week < 8; week += 1) {
    const w = wiggle[week] ?? 0;
    history.push({ ...MONDAY, value: 34 + w });
    for (const weekday of [2, 3, 4, 5]) history.push({ weekday, monthEnd: false, value: 10 + w });
    if (week % 4 === 3) history.push({ ...MONTH_END, value: 300 + 5 * w });
  }
  for (let month = 0; month < 6; month += 1)
    history.push({ ...MONTH_END, value: 300 + 7 * (wiggle[month] ?? 0) });
  return history;
}

describe('anomaly judge (modified z-score, Iglewicz & Hoaglin)', () => {
  it('weekday seasonality: a normal Monday is not a normal Friday', () => {
    const history = seededHistory();
    const monday = judge(35, MONDAY, history, SETTINGS);
    expect(monday).toMatchObject({ judged: true, anomalous: false, median: 34.5, comparable: 8 });
    // 35 on a Friday (usual 10) is anomalous: compared with Fridays, not with Mondays.
    expect(judge(35, FRIDAY, history, SETTINGS)).toMatchObject({ judged: true, anomalous: true });
  });

  it('a normal month-end batch on seeded history is NOT held (compared with month ends only)', () => {
    const history = seededHistory();
    const judgement = judge(305, MONTH_END, history, SETTINGS);
    expect(judgement).toMatchObject({ judged: true, anomalous: false });
    // Compared with a Wednesday's history it would have been anomalous: the seasonality matters.
    expect(judge(305, { weekday: 3, monthEnd: false }, history, SETTINGS)).toMatchObject({ anomalous: true });
  });

  it('10× the usual volume IS held, and the explanation says so', () => {
    const history = seededHistory();
    const judgement = judge(345, MONDAY, history, SETTINGS);
    expect(judgement).toMatchObject({ judged: true, anomalous: true, method: 'mad' });
    if (!judgement.judged) throw new Error('judged');
    expect(explain(345, 'records', MONDAY, judgement)).toBe(
      '345 records: 10× the median of the last 8 Mondays (34.5)',
    );
    expect(explain(412, 'records', MONDAY, { ...judgement, median: 34 })).toBe(
      '412 records: 12× the median of the last 8 Mondays (34)',
    );
  });

  it('MAD 0: the mean absolute deviation stands in, then a ratio when all history is one value', () => {
    // More than half identical: MAD = 0, but the mean absolute deviation is not.
    const mostlyFlat = [20, 20, 20, 20, 20, 20, 21, 25].map((value) => ({ ...MONDAY, value }));
    expect(judge(21, MONDAY, mostlyFlat, SETTINGS)).toMatchObject({ method: 'meanad', anomalous: false });
    expect(judge(40, MONDAY, mostlyFlat, SETTINGS)).toMatchObject({ method: 'meanad', anomalous: true });
    const flat = Array.from({ length: 8 }, () => ({ ...MONDAY, value: 20 }));
    expect(judge(21, MONDAY, flat, SETTINGS)).toMatchObject({ method: 'ratio', anomalous: false });
    expect(judge(59, MONDAY, flat, SETTINGS)).toMatchObject({ method: 'ratio', anomalous: false });
    expect(judge(60, MONDAY, flat, SETTINGS)).toMatchObject({ method: 'ratio', anomalous: true });
    expect(judge(6, MONDAY, flat, SETTINGS)).toMatchObject({ method: 'ratio', anomalous: true });
  });

  it('below minHistory comparable batches nothing is judged', () => {
    const seven = Array.from({ length: 7 }, (_, i) => ({ ...MONDAY, value: 30 + i }));
    // Plenty of other weekdays do not count: only comparable batches do.
    const others = Array.from({ length: 20 }, () => ({ ...FRIDAY, value: 10 }));
    expect(judge(10_000, MONDAY, [...seven, ...others], SETTINGS)).toEqual({ judged: false, comparable: 7 });
    expect(judge(10_000, MONDAY, [...seven, { ...MONDAY, value: 33 }], SETTINGS)).toMatchObject({
      judged: true,
      anomalous: true,
    });
  });

  it('month-end markers: the last day of a month, in UTC', () => {
    expect(markersOf(new Date('2026-01-31T23:00:00Z'))).toEqual({ weekday: 6, monthEnd: true });
    expect(markersOf(new Date('2026-02-28T10:00:00Z'))).toEqual({ weekday: 6, monthEnd: true });
    expect(markersOf(new Date('2028-02-28T10:00:00Z'))).toEqual({ weekday: 1, monthEnd: false });
    expect(markersOf(new Date('2026-12-07T10:00:00Z'))).toEqual({ weekday: 1, monthEnd: false });
  });

  const historyArb = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 8, maxLength: 30 });

  it('property: the median of the history itself is never anomalous', () => {
    fc.assert(
      fc.property(historyArb, (values) => {
        const history = values.map((value) => ({ ...MONDAY, value }));
        const judgement = judge(median(values), MONDAY, history, SETTINGS);
        return judgement.judged && !judgement.anomalous;
      }),
    );
  });

  it('property: deterministic, and scaling the history and the value together changes no verdict', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 2, max: 9 }),
        (values, x, k) => {
          const history = values.map((value) => ({ ...MONDAY, value }));
          const scaled = values.map((value) => ({ ...MONDAY, value: value * k }));
          const a = judge(x, MONDAY, history, SETTINGS);
          const b = judge(x * k, MONDAY, scaled, SETTINGS);
          return (
            JSON.stringify(a) === JSON.stringify(judge(x, MONDAY, history, SETTINGS)) &&
            a.judged &&
            b.judged &&
            a.anomalous === b.anomalous
          );
        },
      ),
    );
  });

  it('property: further from the median never turns an anomaly into a normal batch', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 1, max: 50_000 }),
        (values, x, d) => {
          const history = values.map((value) => ({ ...MONDAY, value }));
          const med = median(values);
          const near = x >= med ? x : med + (med - x);
          const a = judge(near, MONDAY, history, SETTINGS);
          const b = judge(near + d, MONDAY, history, SETTINGS);
          return !a.judged || !b.judged || !a.anomalous || b.anomalous;
        },
      ),
    );
  });
});
