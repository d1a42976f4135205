import { describe, expect, it } from 'vitest';
import {
  changedAfter,
  compareDay,
  daysOf,
  differingDays,
  identityOf,
  lookbackPeriods,
  neverSynced,
  periodEnd,
  totalsDiffer,
  type DayFact,
  type DayRecord,
} from '../../../main/engine/reconcile/reconcile-periods.js';

/** Period splitting and difference typing (issue 12): the pure half of a reconciliation. */

const fact = (id: string, amount: number, extra: Partial<DayFact> = {}): DayFact => ({
  targetKey: `charge_${id}`,
  targetId: id,
  sourceId: `ChargeItem/${id}`,
  amount,
  keyValue: `ref-${id}`,
  writtenAt: '2026-03-05T10:00:00.500Z',
  ...extra,
});
const record = (id: number, amount: number, extra: Partial<DayRecord> = {}): DayRecord => ({
  id,
  writeDate: '2026-03-05 10:00:00',
  amount,
  keyValue: `ref-${id}`,
  ...extra,
});

describe('periods', () => {
  it('looks back whole months (and days), oldest first, across a year end', () => {
    const now = new Date('2026-02-14T23:59:00Z');
    expect(lookbackPeriods(now, 'month', 3)).toEqual(['2025-12-01', '2026-01-01', '2026-02-01']);
    expect(lookbackPeriods(now, 'day', 2)).toEqual(['2026-02-13', '2026-02-14']);
    expect(periodEnd('2025-12-01', 'month')).toBe('2026-01-01');
    expect(periodEnd('2026-02-28', 'day')).toBe('2026-03-01');
  });

  it('splits a month into its days (leap February has 29) and a day into itself', () => {
    expect(daysOf('2028-02-01', 'month')).toHaveLength(29);
    expect(daysOf('2026-02-01', 'month').at(-1)).toBe('2026-02-28');
    expect(daysOf('2026-02-05', 'day')).toEqual(['2026-02-05']);
  });

  it('a period differs on count, on the sum beyond a cent per record, or on a later Odoo write', () => {
    const base = { count: 3, amount: 90, lastWrite: null };
    expect(totalsDiffer(base, { count: 3, amount: 90.004 })).toBe(false);
    expect(totalsDiffer(base, { count: 2, amount: 90 })).toBe(true);
    expect(totalsDiffer(base, { count: 3, amount: 97 })).toBe(true);
    expect(totalsDiffer(undefined, undefined)).toBe(false);
    expect(
      totalsDiffer(
        { count: 3, amount: 90, lastWrite: '2026-03-05 10:00:02' },
        { count: 3, amount: 90, lastWrite: '2026-03-05T10:00:01.900Z' },
      ),
    ).toBe(true);
    // Odoo stamps the console's own write before the console commits it: not a later write.
    expect(changedAfter('2026-03-05 10:00:01', '2026-03-05T10:00:01.900Z')).toBe(false);
  });

  it('finds the differing days of a period, by Odoo totals and by a source ahead of the console', () => {
    const days = daysOf('2026-03-01', 'month');
    const odoo = new Map([
      ['2026-03-02', { count: 2, amount: 20 }],
      ['2026-03-03', { count: 1, amount: 10 }],
    ]);
    const console_ = new Map([
      ['2026-03-02', { count: 2, amount: 20 }],
      ['2026-03-03', { count: 1, amount: 12 }],
      ['2026-03-09', { count: 1, amount: 5 }],
    ]);
    const source = new Map([
      ['2026-03-02', 2],
      ['2026-03-03', 1],
      ['2026-03-09', 1],
      ['2026-03-20', 1],
    ]);
    expect(differingDays(days, odoo, console_, null)).toEqual(['2026-03-03', '2026-03-09']);
    expect(differingDays(days, odoo, console_, source)).toEqual(['2026-03-03', '2026-03-09', '2026-03-20']);
  });
});

describe('typing the differences of a day', () => {
  it('finds nothing when every fact has its record with its amount', () => {
    expect(compareDay([fact('1', 10), fact('2', 20)], [record(1, 10), record(2, 20)], new Map())).toEqual([]);
  });

  it('types missing, amount-differs, changed-in-odoo, duplicate and extra', () => {
    const facts = [fact('1', 10), fact('2', 20), fact('3', 30), fact('4', 40)];
    const records = [
      // 1 deleted in Odoo
      record(2, 25), // the console's own write differs (no later Odoo write)
      record(3, 33, { writeDate: '2026-03-06 08:00:00' }), // edited in Odoo afterwards
      record(4, 40),
      record(9, 40, { keyValue: 'ref-4' }), // a copy of 4 made by hand
      record(10, 5, { keyValue: 'ref-unknown' }), // made by hand, nothing the flow wrote
    ];
    const known = new Map([['ref-4', '4']]);
    const found = compareDay(facts, records, known);
    expect(found.map((d) => [d.type, d.odooId])).toEqual([
      ['missing-in-odoo', 1],
      ['amount-differs', 2],
      ['changed-in-odoo', 3],
      ['duplicate', 9],
      ['extra-in-odoo', 10],
    ]);
    expect(found[1]).toMatchObject({ expected: '20.00', found: '25.00', targetKey: 'charge_2' });
    expect(found.map(identityOf)).toEqual([
      'missing-in-odoo:charge_1',
      'amount-differs:charge_2',
      'changed-in-odoo:charge_3',
      'duplicate:odoo:9',
      'extra-in-odoo:odoo:10',
    ]);
  });

  it('a source id the console never read is never-synced; one it wrote or failed is not', () => {
    const found = neverSynced(
      ['ChargeItem/a', 'ChargeItem/b', 'ChargeItem/c'],
      new Set(['ChargeItem/a', 'ChargeItem/c']),
    );
    expect(found).toEqual([
      {
        type: 'never-synced',
        targetKey: null,
        odooId: null,
        sourceId: 'ChargeItem/b',
        expected: null,
        found: null,
      },
    ]);
    expect(identityOf(found[0]!)).toBe('never-synced:source:ChargeItem/b');
  });
});
