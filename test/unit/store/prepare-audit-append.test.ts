import { describe, expect, it } from 'vitest';
import type { AuditAppend } from '../../../main/store/types.js';
import { MAX_DETAIL_CHARS, prepareAuditAppend } from '../../../main/store/audit/prepare-audit-append.js';
import { StoreError } from '../../../main/store/store-errors.js';

const good: AuditAppend = {
  actor: 'admin',
  action: 'connections.create',
  target: 'c1',
  outcome: 'ok',
  detail: { b: 1, a: 2 },
};

describe('prepareAuditAppend', () => {
  it('canonicalizes the detail', () => {
    expect(prepareAuditAppend(good, 0)).toEqual({ ...good, detail: '{"a":2,"b":1}' });
    expect(prepareAuditAppend({ ...good, target: null, detail: null }, 0).detail).toBe('null');
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an object', null, /not an object/],
    ['empty actor', { ...good, actor: '' }, /actor must not be empty/],
    ['numeric actor', { ...good, actor: 7 }, /actor must be a string/],
    ['long action', { ...good, action: 'x'.repeat(129) }, /action is longer than 128/],
    ['undefined target', { ...good, target: undefined }, /target must be a string/],
    ['long target', { ...good, target: 't'.repeat(1025) }, /target is longer/],
    ['unknown outcome', { ...good, outcome: 'maybe' }, /outcome must be ok, denied or error/],
    ['non-JSON detail', { ...good, detail: { when: new Date() } }, /detail is not plain JSON .*Date/],
    [
      'huge detail',
      { ...good, detail: { blob: 'x'.repeat(MAX_DETAIL_CHARS) } },
      /more than the 65536 allowed/,
    ],
  ];
  it.each(bad)('rejects %s with a StoreError naming the field', (_label, entry, message) => {
    const attempt = (): unknown => prepareAuditAppend(entry as AuditAppend, 3);
    expect(attempt).toThrow(StoreError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/^audit entry 3: /);
  });

  it('never echoes a value into the error (it could be a secret)', () => {
    try {
      prepareAuditAppend({ ...good, outcome: 'hunter2-secret' as 'ok' }, 0);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
