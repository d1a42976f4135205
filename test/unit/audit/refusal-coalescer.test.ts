import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MANY_REMOTES,
  RefusalCoalescer,
  type CoalescedRefusal,
  type Refusal,
} from '../../../main/audit/refusal-coalescer.js';

function refusal(remote: string, path = '/api/ops/x'): Refusal {
  return {
    reason: 'csrf-token',
    outcome: 'denied',
    status: 403,
    method: 'POST',
    path,
    remote,
    operator: null,
  };
}

describe('RefusalCoalescer', () => {
  let rows: CoalescedRefusal[];
  let coalescer: RefusalCoalescer;

  beforeEach(() => {
    vi.useFakeTimers();
    rows = [];
    coalescer = new RefusalCoalescer({ windowMs: 1000, maxWindows: 3, write: (row) => rows.push(row) });
  });
  afterEach(() => vi.useRealTimers());

  it('writes the first refusal at once and the repeats as one row when the window closes', () => {
    for (let index = 0; index < 10; index += 1) coalescer.note(refusal('10.0.0.1', `/api/ops/x${index}`));
    expect(rows.map((row) => [row.count, row.repeated, row.path])).toEqual([[1, false, '/api/ops/x0']]);
    vi.advanceTimersByTime(1000);
    expect(rows.map((row) => [row.count, row.repeated])).toEqual([
      [1, false],
      [9, true],
    ]);
    coalescer.note(refusal('10.0.0.1'));
    expect(rows).toHaveLength(3);
  });

  it('bounds the rows per window however many addresses refusals come from', () => {
    for (let address = 0; address < 1000; address += 1)
      coalescer.note(refusal(`10.0.${address >> 8}.${address & 255}`));
    // Three windows of their own, then every other address shares one window for the reason.
    expect(rows.map((row) => row.remote)).toEqual(['10.0.0.0', '10.0.0.1', '10.0.0.2', MANY_REMOTES]);
    coalescer.flush();
    expect(rows.slice(4).map((row) => [row.remote, row.count])).toEqual([[MANY_REMOTES, 996]]);
  });

  it('tells refusals apart by their labels, and drops the labels once windows run out', () => {
    const labelled = (source: string): Refusal => ({ ...refusal('10.0.0.1'), labels: { source } });
    coalescer.note(labelled('lab-a'));
    coalescer.note(labelled('lab-b'));
    coalescer.note(labelled('lab-a'));
    expect(rows.map((row) => row.labels)).toEqual([{ source: 'lab-a' }, { source: 'lab-b' }]);
    coalescer.note(labelled('lab-c'));
    coalescer.note(labelled('lab-d'));
    // The fourth key opens the pooled window: no labels (they would name only the first of many).
    expect(rows.slice(3).map((row) => [row.remote, row.labels])).toEqual([[MANY_REMOTES, undefined]]);
    coalescer.flush();
    expect(rows.map((row) => [row.labels?.['source'] ?? 'pooled', row.count])).toEqual([
      ['lab-a', 1],
      ['lab-b', 1],
      ['lab-c', 1],
      ['pooled', 1],
      ['lab-a', 1],
    ]);
  });

  it('writes nothing more for a window without repeats', () => {
    coalescer.note(refusal('10.0.0.1'));
    vi.advanceTimersByTime(5000);
    coalescer.flush();
    expect(rows).toHaveLength(1);
  });
});
