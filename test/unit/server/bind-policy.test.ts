import { describe, expect, it } from 'vitest';
import { decideBind, isLoopbackHost } from '../../../main/server/bind-policy.js';

describe('headless bind policy', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])('treats %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(decideBind({ host, tls: false, insecureHttp: false })).toEqual({ ok: true, warning: null });
  });

  it.each(['0.0.0.0', '192.168.1.20', '::', 'clinic-server.lan', '128.0.0.1'])(
    'refuses %s without TLS',
    (host) => {
      const decision = decideBind({ host, tls: false, insecureHttp: false });
      expect(decision.ok).toBe(false);
      if (!decision.ok) expect(decision.reason).toMatch(/--tls-cert.*--insecure-http/);
    },
  );

  it('allows a LAN address with TLS, or loudly with --insecure-http', () => {
    expect(decideBind({ host: '0.0.0.0', tls: true, insecureHttp: false })).toEqual({
      ok: true,
      warning: null,
    });
    const lab = decideBind({ host: '0.0.0.0', tls: false, insecureHttp: true });
    expect(lab.ok && lab.warning).toMatch(/^WARNING: .*plain HTTP/);
  });
});
