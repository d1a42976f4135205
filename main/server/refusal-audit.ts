import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../app/core-types.js';
import { AUDIT_TARGET_MAX_CHARS, boundedText } from '../api/audit-detail.js';
import { RefusalCoalescer, type CoalescedRefusal } from '../audit/refusal-coalescer.js';
import { SESSION_COOKIE } from './session-cookie.js';

/** The audit action of every request the HTTP layer refuses before the dispatcher sees it. */
export const HTTP_REFUSED_ACTION = 'http.refused';

/** Why the HTTP layer refused a request; the audit row's `reason`. */
export type HttpRefusalReason =
  | 'foreign-host'
  | 'cross-origin'
  | 'cross-site'
  | 'csrf-token'
  | 'content-type'
  | 'unknown-operation'
  | 'no-such-endpoint'
  | 'body-too-large'
  | 'malformed-json'
  | 'bad-request'
  | 'unauthenticated'
  | 'forbidden'
  | 'internal';

/** Refusals that say "you may not" rather than "this request is broken". */
const DENIALS: ReadonlySet<HttpRefusalReason> = new Set([
  'foreign-host',
  'cross-origin',
  'cross-site',
  'csrf-token',
  'unauthenticated',
  'forbidden',
]);

export type RecordRefusal = (request: FastifyRequest, reason: HttpRefusalReason, status: number) => void;

export interface RefusalAuditOptions {
  /** How long identical refusals are counted before their count is written (see RefusalCoalescer). */
  readonly windowMs?: number | undefined;
  readonly maxWindows?: number | undefined;
}

/**
 * The session cookie's value; read from the header when the cookie plugin has not run yet (the Host
 * check comes before it). Only used to name the operator, never written anywhere.
 */
function sessionIdOf(request: FastifyRequest): string | null {
  const parsed = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
  if (parsed !== undefined) return parsed;
  const header = request.headers.cookie;
  return header === undefined ? null : (fastifyCookie.parse(header)[SESSION_COOKIE] ?? null);
}

function row(refusal: CoalescedRefusal) {
  return {
    actor: refusal.operator ?? 'anonymous',
    action: HTTP_REFUSED_ACTION,
    target: refusal.path,
    outcome: refusal.outcome,
    detail: {
      reason: refusal.reason,
      status: refusal.status,
      method: refusal.method,
      via: `http:${refusal.remote}`,
      count: refusal.count,
      ...(refusal.repeated ? { repeated: true } : {}),
    },
  };
}

/**
 * Audits every refusal of the HTTP layer (Host check, CSRF, content type, unknown operation or
 * endpoint, body limits, malformed JSON, the event stream's sign-in check) as `http.refused` rows,
 * coalesced so a flood of refusals writes a bounded number of rows. A row holds the reason, status,
 * method, path (no query string), remote address and the operator of a valid session; never a body,
 * a cookie, a token or any other header value. Calls the dispatcher refuses are audited there.
 */
export function createRefusalAudit(
  app: FastifyInstance,
  core: Core,
  options: RefusalAuditOptions = {},
): RecordRefusal {
  const coalescer = new RefusalCoalescer({
    windowMs: options.windowMs ?? 60_000,
    maxWindows: options.maxWindows ?? 256,
    write: (refusal) => core.auditTransportRefusal(row(refusal)),
  });
  app.addHook('onClose', (_app, done) => {
    coalescer.flush();
    done();
  });
  return (request, reason, status) => {
    coalescer.note({
      reason,
      outcome: DENIALS.has(reason) ? 'denied' : 'error',
      status,
      method: request.method,
      path: boundedText(request.url.split('?')[0] ?? '', AUDIT_TARGET_MAX_CHARS),
      remote: request.ip,
      operator: core.sessionOperator(sessionIdOf(request)),
    });
  };
}
