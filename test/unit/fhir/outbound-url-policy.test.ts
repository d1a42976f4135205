import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, isLoopbackHost } from '../../../main/connectors/http/outbound-url-policy.js';
import { classifyHttpStatus } from '../../../main/connectors/http/status-class.js';
import { abortableSleep, parseRetryAfterMs } from '../../../main/connectors/http/retry-timing.js';
import type { ConnectorError } from '../../../main/connectors/types.js';

const codeOf = (url: string, insecure = false): string => {
  try {
    checkOutboundUrl(url, insecure);
    return 'ok';
  } catch (error) {
    return (error as ConnectorError).code;
  }
};

describe('outbound URL policy', () => {
  it('allows https anywhere and http only to loopback or with the opt-in', () => {
    expect(codeOf('https://ehr.clinic.example/fhir')).toBe('ok');
    expect(codeOf('http://127.0.0.1:8080/fhir')).toBe('ok');
    expect(codeOf('http://[::1]:8080/')).toBe('ok');
    expect(codeOf('http://localhost/')).toBe('ok');
    expect(codeOf('http://ehr.clinic.example/fhir')).toBe('http.insecure');
    expect(codeOf('http://ehr.clinic.example/fhir', true)).toBe('ok');
    expect(codeOf('http://127.0.0.1.evil.example/')).toBe('http.insecure');
  });

  it('refuses other schemes, junk and credentials in the URL', () => {
    expect(codeOf('ftp://example.org/')).toBe('http.bad-scheme');
    expect(codeOf('file:///etc/passwd')).toBe('http.bad-scheme');
    expect(codeOf('not a url')).toBe('http.bad-url');
    expect(codeOf('https://user:pw@example.org/')).toBe('http.credentials-in-url');
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.5.6.7')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});

describe('HTTP status classes and retry timing', () => {
  it.each([
    [503, 'transient'],
    [429, 'transient'],
    [408, 'transient'],
    [401, 'authentication'],
    [403, 'authentication'],
    [404, 'configuration'],
    [400, 'permanent'],
    [422, 'permanent'],
    [412, 'permanent'],
  ])('HTTP %i is %s', (status, expected) => {
    expect(classifyHttpStatus(status)).toBe(expected);
  });

  it('reads Retry-After as seconds or a date, and ignores junk', () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    expect(parseRetryAfterMs('7', now)).toBe(7000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs(undefined, now)).toBeNull();
  });

  it('sleep stops when aborted', async () => {
    const controller = new AbortController();
    const pending = abortableSleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
