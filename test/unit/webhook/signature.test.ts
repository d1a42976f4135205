import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  secretsEqual,
  signatureHeaderValue,
  verifySignature,
  type SignedParts,
} from '../../../main/connectors/webhook/signature.js';

const secret = 'test-signing-secret';
const body = Buffer.from('{"type":"invoice.paid","id":7}');
const parts: SignedParts = { source: 'billing', timestamp: '1700000000', eventId: 'evt-1', body };

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "v2\\nsource\\ntimestamp\\nevent id\\nbody", hex, with a v2= prefix (README)', () => {
    const expected = createHmac('sha256', secret)
      .update(`v2\nbilling\n1700000000\nevt-1\n${body.toString()}`)
      .digest('hex');
    expect(signatureHeaderValue(secret, parts)).toBe(`v2=${expected}`);
  });

  it('verifies the right signature and refuses a change to any signed part', () => {
    const header = signatureHeaderValue(secret, parts);
    expect(verifySignature(secret, parts, header)).toBe(true);
    expect(verifySignature(secret, { ...parts, timestamp: '1700000001' }, header)).toBe(false);
    expect(verifySignature(secret, { ...parts, eventId: 'evt-2' }, header)).toBe(false);
    expect(verifySignature(secret, { ...parts, source: 'payroll' }, header)).toBe(false);
    expect(verifySignature('other-secret', parts, header)).toBe(false);
    expect(verifySignature(secret, { ...parts, body: Buffer.from(`${body.toString()} `) }, header)).toBe(
      false,
    );
  });

  it('cannot be moved between parts: the separators are characters no part may hold', () => {
    const a = signatureHeaderValue(secret, { ...parts, eventId: 'evt', body: '1.{}' });
    expect(verifySignature(secret, { ...parts, eventId: 'evt.1', body: Buffer.from('{}') }, a)).toBe(false);
  });

  it('accepts one match among several (secret rotation) and ignores malformed parts', () => {
    const good = signatureHeaderValue(secret, parts);
    const old = signatureHeaderValue('old-secret', parts);
    expect(verifySignature(secret, parts, `${old}, ${good}`)).toBe(true);
    expect(verifySignature(secret, parts, `v0=abc, ${good.replace('v2=', 'v1=')}`)).toBe(false);
    expect(verifySignature(secret, parts, 'v2=zz')).toBe(false);
    expect(verifySignature(secret, parts, '')).toBe(false);
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', 'x')).toBe(false);
  });
});
