import { describe, expect, it } from 'vitest';
import { judge, markersOf, type BatchMarkers } from '../../../main/engine/anomaly/anomaly-judge.js';
import { demoChargeDay, demoChargeHistory } from '../../peers/demo/demo-anomaly-history.js';

/**
 * The demo clinic's seeded billing history (issue 12): a usual day's batch of service charges is
 * judged normal on any weekday and at month end; 10× that volume is held.
 */
describe('demo charge history', () => {
  const now = new Date('2026-12-02T09:00:00Z');
  const day = demoChargeDay();
  const history = demoChargeHistory(now, day).map((b) => ({ ...markersOf(b.at), value: b.volume }));
  const settings = { minHistory: 8, threshold: 3.5 };
  const days: BatchMarkers[] = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, monthEnd: false }));

  it('the usual day is posted on every weekday and at month end', () => {
    expect(day.volume).toBeGreaterThan(100);
    for (const markers of [...days, { weekday: 4, monthEnd: true }]) {
      expect(judge(day.volume, markers, history, settings)).toMatchObject({ judged: true, anomalous: false });
    }
  });

  it('a batch of 10× the usual volume is held, at month end too', () => {
    for (const markers of [...days, { weekday: 4, monthEnd: true }]) {
      expect(judge(day.volume * 10, markers, history, settings)).toMatchObject({
        judged: true,
        anomalous: true,
      });
    }
  });
});
