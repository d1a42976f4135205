import { describe, expect, it } from 'vitest';
import { bannerLines } from '../../../renderer/components/outage-banner-lines.js';
import {
  durationText,
  etaText,
  exposureText,
  drainText,
  rateText,
} from '../../../renderer/components/outage-text.js';
import { breakerDownOverview, calmOverview, degradedOverview, drainOf } from './outage-fixtures.js';

const hhmm = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(Date.parse(iso));
const MIN = 60_000;

describe('outage wording', () => {
  it('says how long something lasted to the minute', () => {
    expect(durationText(59_999)).toBe('under 1 min');
    expect(durationText(14 * MIN + 59_000)).toBe('14 min');
    expect(durationText(134 * MIN)).toBe('2 h 14 min');
    expect(durationText(120 * MIN)).toBe('2 h');
    expect(durationText((27 * 60 + 5) * MIN)).toBe('1 d 3 h');
    expect(durationText(Number.NaN)).toBe('under 1 min');
  });

  it('states the exposure as the age of the oldest waiting write', () => {
    const now = new Date('2026-01-01T05:56:30.000Z');
    expect(exposureText(degradedOverview().exposure, now)).toBe(
      `42 writes waiting in the outbox; data-loss exposure: 2 h 14 min (oldest since ${hhmm('2026-01-01T03:42:00.000Z')}).`,
    );
    expect(
      exposureText({ down: [], waiting: 1, held: 0, oldestQueuedAt: '2026-01-01T05:50:00.000Z' }, now),
    ).toMatch(/^1 write waiting in the outbox; data-loss exposure: 6 min /);
    expect(exposureText(calmOverview().exposure, now)).toBe('No writes waiting in the outbox.');
  });

  it('gives a replay its pace and time left', () => {
    expect(etaText(null)).toBe('time left unknown');
    expect(etaText(0.4)).toBe('almost done');
    expect(etaText(8.2)).toBe('about 9 s left');
    expect(etaText(61)).toBe('about 2 min left');
    expect(etaText(3900)).toBe('about 1 h 5 min left');
    expect(rateText(null)).toBe('no pace yet');
    expect(rateText(0.42)).toBe('0.4 writes/s');
    expect(rateText(35.4)).toBe('35 writes/s');
    expect(drainText(drainOf())).toBe('120 of 400 sent · 35 writes/s · about 8 s left');
    expect(drainText(drainOf({ status: 'paused' }))).toBe('120 of 400 sent · paused');
    expect(drainText(drainOf({ status: 'queued', sent: 0 }))).toBe('0 of 400 sent · waiting to start');
  });
});

describe('outage banner lines', () => {
  const now = new Date('2026-01-01T03:45:20.000Z');

  it('shows nothing while nothing is down', () => {
    expect(bannerLines(null, now)).toBeNull();
    expect(bannerLines(calmOverview(), now)).toBeNull();
  });

  it('names the degraded connection with its reason, and the exposure', () => {
    const lines = bannerLines(degradedOverview(), now);
    expect(lines?.down).toEqual([
      {
        connectionId: 'conn_odoo000001',
        text: `Odoo finance: degraded mode since ${hhmm('2026-01-01T03:40:00.000Z')} (Planned upgrade)`,
      },
    ]);
    expect(lines?.exposure).toMatch(/^42 writes waiting in the outbox; data-loss exposure: 3 min /);
  });

  it('says when a broken connection is checked next (what the Connections page used to say)', () => {
    expect(bannerLines(breakerDownOverview(), now)?.down[0]?.text).toBe(
      `Odoo finance: Down since ${hhmm('2026-01-01T03:41:00.000Z')} (next check in 40 s)`,
    );
  });

  it('shows a held batch with nothing down, and counts it beside the waiting figure (issue 12)', () => {
    const calm = calmOverview();
    const held = {
      ...calm,
      exposure: { ...calm.exposure, waiting: 1200, held: 1200, oldestQueuedAt: '2026-01-01T05:50:00.000Z' },
    };
    const lines = bannerLines(held, now);
    expect(lines?.down).toEqual([]);
    expect(lines?.held).toBe(
      '1,200 writes of an anomalous batch held for review: release or reject them on the Exceptions page.',
    );
    expect(lines?.exposure).toMatch(
      /^1,200 writes \(1,200 of them held for review\) waiting in the outbox; /,
    );
    // During an outage the held ones are said beside the waiting figure too.
    const both = degradedOverview();
    const during = bannerLines({ ...both, exposure: { ...both.exposure, held: 40 } }, now);
    expect(during?.exposure).toMatch(/^42 writes \(40 of them held for review\) waiting in the outbox; /);
    expect(during?.down).toHaveLength(1);
  });
});
