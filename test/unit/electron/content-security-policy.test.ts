import { describe, expect, it } from 'vitest';
import {
  APP_SECURITY_HEADERS,
  CONTENT_SECURITY_POLICY,
  withContentSecurityPolicy,
} from '../../../main/electron/content-security-policy.js';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

describe('content security policy', () => {
  it('holds exactly the strict directives', () => {
    expect(Object.fromEntries(directives(CONTENT_SECURITY_POLICY))).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
      'form-action': "'none'",
    });
  });

  it('allows no inline code, eval, wildcard or remote origin', () => {
    for (const loose of [
      "'unsafe-inline'",
      "'unsafe-eval'",
      "'wasm-unsafe-eval'",
      '*',
      'http:',
      'https:',
      'blob:',
    ]) {
      expect(CONTENT_SECURITY_POLICY).not.toContain(loose);
    }
  });

  it('is among the headers of every app:// response', () => {
    expect(APP_SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(APP_SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });

  it('replaces a looser policy a response brought, whatever its letter case', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ["default-src *; script-src 'unsafe-inline'"],
      'CONTENT-SECURITY-POLICY': 'default-src *',
      'Content-Type': 'text/html',
      'Set-Cookie': ['a=1', 'b=2'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Set-Cookie': ['a=1', 'b=2'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('adds the policy when a response has no headers at all', () => {
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });
});
