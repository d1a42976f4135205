import { describe, expect, it } from 'vitest';
import { auditDetailFromInput, defaultTarget } from '../../../main/api/audit-detail.js';

describe('audit detail from a call input', () => {
  it('drops declared secret fields and secret-looking keys at any depth', () => {
    const detail = auditDetailFromInput(
      {
        id: 'conn_1',
        secret: 'S3CRET-VALUE',
        settings: { baseUrl: 'https://x', apiKey: 'K', nested: { Password: 'P', token: 'T' } },
        list: [{ authorization: 'Bearer z', ok: 1 }],
        note: undefined,
        value: 'kept',
      },
      ['value'],
    );
    expect(detail).toEqual({
      id: 'conn_1',
      settings: { baseUrl: 'https://x', nested: {} },
      list: [{ ok: 1 }],
    });
    expect(JSON.stringify(detail)).not.toMatch(/S3CRET|Bearer|"K"|"P"|"T"/);
  });

  it('returns an empty detail for non-objects', () => {
    expect(auditDetailFromInput('x')).toEqual({});
    expect(auditDetailFromInput(null)).toEqual({});
    expect(auditDetailFromInput([1, 2])).toEqual({});
  });

  it('takes the id, else the username, as the default target', () => {
    expect(defaultTarget({ id: 'conn_1', username: 'ana' })).toBe('conn_1');
    expect(defaultTarget({ username: 'ana' })).toBe('ana');
    expect(defaultTarget({ id: 7 })).toBeNull();
    expect(defaultTarget(undefined)).toBeNull();
  });
});
