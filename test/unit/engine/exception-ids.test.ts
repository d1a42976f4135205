import { describe, expect, it } from 'vitest';
import { exceptionIdSchema } from '../../../shared/domain/exception.js';
import { createExceptionIds } from '../../../main/engine/store/exception-ids.js';

describe('exception ids', () => {
  it('sort in creation order, within a millisecond and across milliseconds, and never repeat', () => {
    let now = Date.UTC(2026, 0, 1);
    const next = createExceptionIds(() => now);
    const ids: string[] = [];
    for (let ms = 0; ms < 5; ms += 1) {
      for (let i = 0; i < 700; i += 1) ids.push(next());
      now += 1;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keep counting on the last millisecond when the clock goes back', () => {
    let now = Date.UTC(2026, 0, 1, 12);
    const next = createExceptionIds(() => now);
    const first = next();
    now -= 60_000;
    const second = next();
    expect(second > first).toBe(true);
    expect(second.slice(0, 16)).toBe(first.slice(0, 16));
  });

  it('have the shape the contract accepts', () => {
    const id = createExceptionIds()();
    expect(id).toMatch(/^exc_[0-9a-f]{20}$/);
    expect(exceptionIdSchema.safeParse(id).success).toBe(true);
  });
});
