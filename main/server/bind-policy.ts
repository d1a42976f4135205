import { isIP } from 'node:net';

export interface BindRequest {
  readonly host: string;
  readonly tls: boolean;
  readonly insecureHttp: boolean;
}

export type BindDecision =
  { readonly ok: true; readonly warning: string | null } | { readonly ok: false; readonly reason: string };

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === '::1';
}

/**
 * Loopback by default. Anything else carries operator sessions across a network, so it needs TLS,
 * or an explicit `--insecure-http` for a lab, which is then announced loudly.
 */
export function decideBind(request: BindRequest): BindDecision {
  if (isLoopbackHost(request.host)) return { ok: true, warning: null };
  if (request.tls) return { ok: true, warning: null };
  if (request.insecureHttp) {
    return {
      ok: true,
      warning:
        `WARNING: serving on ${request.host} over plain HTTP (--insecure-http). Passwords and session cookies ` +
        'cross the network unencrypted. Use --tls-cert/--tls-key outside a lab.',
    };
  }
  return {
    ok: false,
    reason:
      `Refusing to serve on ${request.host} without TLS: operator passwords and sessions would cross the ` +
      'network in clear text. Pass --tls-cert FILE --tls-key FILE, or --insecure-http for a lab.',
  };
}
