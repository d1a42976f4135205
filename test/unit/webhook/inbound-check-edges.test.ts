import { describe, expect, it } from 'vitest';
import {
  checkFhirNotification,
  checkSignedEvent,
  type CheckResult,
} from '../../../main/connectors/webhook/inbound-check.js';
import { signatureHeaderValue } from '../../../main/connectors/webhook/signature.js';

/**
 * The edges of the inbound checks that mutation testing found unguarded (test/mutation/SURVIVORS.md):
 * each header missing on its own, the clock-skew boundary, JSON `null` bodies, the bearer prefix
 * anchored at the start, an empty secret, and how a FHIR notification's event id is chosen.
 */
const secret = 'edge-secret';
const nowMs = 1_700_000_000_000;
const now = nowMs / 1000;

function signedHeaders(body: string, timestamp = String(now), eventId = 'evt-1'): Record<string, string> {
  return {
    'x-osc-timestamp': timestamp,
    'x-osc-event-id': eventId,
    'x-osc-signature': signatureHeaderValue(secret, { source: 'billing', timestamp, eventId, body }),
  };
}

const code = (result: CheckResult): string => (result.ok ? 'ok' : result.rejection.code);

const signedCheck = (body: string, headers: Record<string, string | undefined>): CheckResult =>
  checkSignedEvent({
    source: 'billing',
    headers,
    body: Buffer.from(body),
    secret,
    clockSkewSeconds: 300,
    nowMs,
  });

const fhirCheck = (
  body: string,
  headers: Record<string, string | undefined>,
  withSecret = secret,
): CheckResult =>
  checkFhirNotification({
    source: 'fhir',
    headers,
    body: Buffer.from(body),
    secret: withSecret,
    clockSkewSeconds: 300,
    nowMs,
  });

describe('signed event edges', () => {
  it('refuses a request missing any one of the three headers', () => {
    for (const name of ['x-osc-timestamp', 'x-osc-event-id', 'x-osc-signature']) {
      const headers: Record<string, string | undefined> = { ...signedHeaders('{}'), [name]: undefined };
      expect(code(signedCheck('{}', headers)), name).toBe('missing-headers');
    }
  });

  it('accepts a timestamp exactly at the allowed skew, and refuses one second beyond', () => {
    for (const offset of [-300, 300]) {
      const timestamp = String(now + offset);
      expect(code(signedCheck('{}', signedHeaders('{}', timestamp))), `${offset} s`).toBe('ok');
    }
    expect(code(signedCheck('{}', signedHeaders('{}', String(now - 301))))).toBe('stale-timestamp');
  });

  it('takes "webhook" as the type of a body without one, JSON null included', () => {
    for (const body of ['null', '{}', '"text"', '{"type":7}']) {
      const result = signedCheck(body, signedHeaders(body));
      expect(result.ok && result.event.eventType, body).toBe('webhook');
    }
  });

  it('keeps at most 200 characters of the event type header', () => {
    const result = signedCheck('{}', { ...signedHeaders('{}'), 'x-osc-event-type': 't'.repeat(250) });
    expect(result.ok && result.event.eventType).toBe('t'.repeat(200));
  });
});

describe('FHIR notification edges', () => {
  const resource = (extra: Record<string, unknown>): string =>
    JSON.stringify({ resourceType: 'Patient', ...extra });
  const bearer = { authorization: `Bearer ${secret}` };

  it('reads the token only from a header that starts with Bearer, ignoring surrounding spaces', () => {
    expect(code(fhirCheck(resource({}), { authorization: `xBearer ${secret}` }))).toBe('bad-token');
    expect(code(fhirCheck(resource({}), { authorization: `Bearer ${secret}  ` }))).toBe('ok');
  });

  it('never accepts an empty token, even when the secret is empty', () => {
    expect(code(fhirCheck(resource({}), {}, ''))).toBe('bad-token');
    expect(code(fhirCheck(resource({}), { authorization: 'Bearer ' }, ''))).toBe('bad-token');
  });

  it('refuses a JSON null body', () => {
    expect(code(fhirCheck('null', bearer))).toBe('malformed-json');
  });

  it('names the event by version only with a string id and a string or numeric version', () => {
    const eventId = (body: string): string => {
      const result = fhirCheck(body, bearer);
      return result.ok ? result.event.eventId : `refused:${result.rejection.code}`;
    };
    expect(eventId(resource({ id: 'p1', meta: { versionId: 4 } }))).toBe('fhir:Patient/p1/_history/4');
    expect(eventId(resource({ id: 'p1', meta: { versionId: '4' } }))).toBe('fhir:Patient/p1/_history/4');
    const hashed = /^fhir:sha256:[0-9a-f]{64}$/;
    expect(eventId(resource({ id: 'p1' }))).toMatch(hashed);
    expect(eventId(resource({ id: 5, meta: { versionId: '4' } }))).toMatch(hashed);
    expect(eventId(resource({ id: 'p1', meta: { versionId: { n: 4 } } }))).toMatch(hashed);
  });
});
