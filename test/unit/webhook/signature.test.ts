import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  secretsEqual,
  signatureHeaderValue,
  verifySignature,
} from '../../../main/connectors/webhook/signature.js';

const secret = 'test-signing-secret';
const body = Buffer.from('{"type":"invoice.paid","id":7}');

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "timestamp.body", hex, with a v1= prefix', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body.toString()}`).digest('hex');
    expect(signatureHeaderValue(secret, '1700000000', body)).toBe(`v1=${expected}`);
  });

  it('verifies the right signature and refuses any change', () => {
    const header = signatureHeaderValue(secret, '1700000000', body);
    expect(verifySignature(secret, '1700000000', body, header)).toBe(true);
    expect(verifySignature(secret, '1700000001', body, header)).toBe(false);
    expect(verifySignature('other-secret', '1700000000', body, header)).toBe(false);
    expect(verifySignature(secret, '1700000000', Buffer.from(`${body.toString()} `), header)).toBe(false);
  });

  it('accepts one match among several (secret rotation) and ignores malformed parts', () => {
    const good = signatureHeaderValue(secret, '1', body);
    const old = signatureHeaderValue('old-secret', '1', body);
    expect(verifySignature(secret, '1', body, `${old}, ${good}`)).toBe(true);
    expect(verifySignature(secret, '1', body, `v0=abc, ${good.replace('v1=', 'v2=')}`)).toBe(false);
    expect(verifySignature(secret, '1', body, 'v1=zz')).toBe(false);
    expect(verifySignature(secret, '1', body, '')).toBe(false);
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', 'x')).toBe(false);
  });
});
