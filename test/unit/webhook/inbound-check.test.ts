import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkFhirNotification,
  checkSignedEvent,
  type CheckResult,
} from '../../../main/connectors/webhook/inbound-check.js';
import { signatureHeaderValue } from '../../../main/connectors/webhook/signature.js';

const secret = 'unit-secret';
const nowMs = 1_700_000_000_000;
const ts = String(nowMs / 1000);

function signed(
  body: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    'x-osc-timestamp': ts,
    'x-osc-event-id': 'evt-1',
    'x-osc-signature': signatureHeaderValue(secret, {
      source: 'billing',
      timestamp: overrides['x-osc-timestamp'] ?? ts,
      eventId: overrides['x-osc-event-id'] ?? 'evt-1',
      body,
    }),
    ...overrides,
  };
}

const code = (result: CheckResult): string => (result.ok ? 'ok' : result.rejection.code);
const run = (body: string, headers: Record<string, string | undefined>, source = 'billing'): CheckResult =>
  checkSignedEvent({ source, headers, body: Buffer.from(body), secret, clockSkewSeconds: 300, nowMs });

describe('signed event checks', () => {
  it('accepts a correctly signed JSON event and takes its type from the header or body', () => {
    const result = run('{"type":"invoice.paid"}', signed('{"type":"invoice.paid"}'));
    expect(result).toEqual({
      ok: true,
      event: {
        eventId: 'evt-1',
        eventType: 'invoice.paid',
        signedAt: nowMs / 1000,
        json: { type: 'invoice.paid' },
      },
    });
    const typed = run('[]', { ...signed('[]'), 'x-osc-event-type': 'po.approved' });
    expect(typed.ok && typed.event.eventType).toBe('po.approved');
  });

  it('names every refusal', () => {
    expect(code(run('{}', { ...signed('{}'), 'x-osc-signature': undefined }))).toBe('missing-headers');
    expect(code(run('{}', signed('{}', { 'x-osc-timestamp': '17e8' })))).toBe('bad-timestamp');
    expect(code(run('{}', signed('{}', { 'x-osc-event-id': 'has space' })))).toBe('bad-event-id');
    expect(code(run('{}', signed('{}', { 'x-osc-event-id': 'x'.repeat(201) })))).toBe('bad-event-id');
    expect(code(run('{}', signed('{}', { 'x-osc-timestamp': String(nowMs / 1000 - 301) })))).toBe(
      'stale-timestamp',
    );
    expect(code(run('{}', signed('{}', { 'x-osc-timestamp': String(nowMs / 1000 + 301) })))).toBe(
      'stale-timestamp',
    );
    expect(code(run('{"a":1}', signed('{"a":2}')))).toBe('bad-signature');
    expect(code(run('{"a":', signed('{"a":')))).toBe('malformed-json');
  });

  it('refuses a captured request replayed under a new event id, to another source, or re-timed', () => {
    const captured = signed('{"invoice":7}');
    expect(code(run('{"invoice":7}', captured))).toBe('ok');
    // Same signature, a fresh event id: the replay check by id would let it through, the signature must not.
    expect(code(run('{"invoice":7}', { ...captured, 'x-osc-event-id': 'evt-2' }))).toBe('bad-signature');
    // Same request posted to another source that shares the secret.
    expect(code(run('{"invoice":7}', captured, 'payroll'))).toBe('bad-signature');
    // Same request with a newer timestamp, still inside the skew window.
    expect(code(run('{"invoice":7}', { ...captured, 'x-osc-timestamp': String(nowMs / 1000 + 1) }))).toBe(
      'bad-signature',
    );
  });

  it('refuses the old v1 scheme (timestamp and body only)', () => {
    const v1 = createHmac('sha256', secret).update(`${ts}.{}`).digest('hex');
    expect(code(run('{}', { ...signed('{}'), 'x-osc-signature': `v1=${v1}` }))).toBe('bad-signature');
  });

  it('checks staleness before the signature, so a validly signed old request is stale', () => {
    const old = String(nowMs / 1000 - 3600);
    expect(code(run('{}', signed('{}', { 'x-osc-timestamp': old })))).toBe('stale-timestamp');
  });
});

describe('FHIR rest-hook notification checks', () => {
  const fhir = (body: string, headers: Record<string, string | undefined>): CheckResult =>
    checkFhirNotification({
      source: 'billing',
      headers,
      body: Buffer.from(body),
      secret,
      clockSkewSeconds: 300,
      nowMs,
    });
  const resource = JSON.stringify({ resourceType: 'ChargeItem', id: 'c1', meta: { versionId: '3' } });

  it('accepts the bearer token and names the event by resource version', () => {
    const result = fhir(resource, { authorization: `Bearer ${secret}` });
    expect(result.ok && result.event.eventId).toBe('fhir:ChargeItem/c1/_history/3');
    expect(result.ok && result.event.eventType).toBe('fhir.ChargeItem');
  });

  it('uses a content hash when there is no version, and a fresh id for pings', () => {
    const noVersion = fhir('{"resourceType":"Patient"}', { authorization: `Bearer ${secret}` });
    expect(noVersion.ok && noVersion.event.eventId).toMatch(/^fhir:sha256:[0-9a-f]{64}$/);
    const first = fhir('', { authorization: `Bearer ${secret}` });
    const second = fhir('', { authorization: `Bearer ${secret}` });
    expect(first.ok && first.event.eventType).toBe('fhir.ping');
    expect(first.ok && second.ok && first.event.eventId !== second.event.eventId).toBe(true);
  });

  it('refuses a wrong or missing token and bodies that are not resources', () => {
    expect(code(fhir(resource, { authorization: 'Bearer wrong' }))).toBe('bad-token');
    expect(code(fhir(resource, {}))).toBe('bad-token');
    expect(code(fhir(resource, { authorization: 'Bearer ' }))).toBe('bad-token');
    expect(code(fhir('[1]', { authorization: `Bearer ${secret}` }))).toBe('malformed-json');
    expect(code(fhir('nope', { authorization: `Bearer ${secret}` }))).toBe('malformed-json');
  });

  it('uses the signed check when the server signs', () => {
    expect(code(fhir(resource, signed(resource)))).toBe('ok');
    expect(code(fhir(resource, signed('{}')))).toBe('bad-signature');
  });
});
