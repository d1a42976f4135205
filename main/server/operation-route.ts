import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_HEADER, HTTP_OPERATION_PREFIX } from '../../shared/contract/events.js';
import { isOperationName, type OperationName } from '../../shared/contract/operations.js';
import type { Result } from '../../shared/contract/result.js';
import type { CallContext } from '../api/call-context.js';
import { sameSecret } from '../auth/secret-compare.js';
import type { Core } from '../app/core-types.js';
import { HTTP_STATUS_FOR_ERROR } from './http-status.js';
import type { HttpRefusalReason, RecordRefusal } from './refusal-audit.js';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie.js';

function send(reply: FastifyReply, result: Result<unknown>): FastifyReply {
  const status = result.ok ? 200 : HTTP_STATUS_FOR_ERROR[result.error.code];
  return reply.code(status).header('cache-control', 'no-store').send(result);
}

/**
 * The one call a console makes before it holds the CSRF token (after a reload, in a new tab): it
 * changes nothing and answers the session's token. Handing the token out without one is safe because
 * only the console's own script can read the answer: the session cookie is SameSite=Strict, the JSON
 * content type forces a CORS preflight this server never grants, a foreign Origin or Sec-Fetch-Site
 * is refused below, and the Host allow-list keeps rebound DNS names out. This is the synchronizer-token
 * pattern with the token fetched by same-origin script, never put in a URL, a cookie or the page.
 */
const TOKEN_BOOTSTRAP_OPERATION: OperationName = 'session.status';

/**
 * Same-origin proof for a request: an Origin and Sec-Fetch-Site (when the browser sends them) that
 * say "this origin", plus the session's CSRF token in a header (a cross-site form or image cannot set
 * one) for everything but the token bootstrap.
 */
function csrfProblem(
  request: FastifyRequest,
  core: Core,
  sessionId: string | null,
  name: OperationName,
): { reason: HttpRefusalReason; message: string } | null {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
    return { reason: 'cross-origin', message: 'Cross-origin request refused.' };
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    return { reason: 'cross-site', message: 'Cross-site request refused.' };
  }
  if (name === TOKEN_BOOTSTRAP_OPERATION) return null;
  const expected = core.csrfTokenFor(sessionId);
  if (expected === null) return null;
  return sameSecret(request.headers[CSRF_HEADER], expected)
    ? null
    : { reason: 'csrf-token', message: 'Missing or wrong CSRF token: reload the console.' };
}

/**
 * POST /api/ops/<operation>: the whole contract over HTTP, one route, the same dispatcher as IPC.
 * What this route refuses itself (no such operation, not JSON, CSRF) never reaches the dispatcher, so
 * it is audited through `refused`; everything else is audited by the dispatcher.
 */
export function registerOperationRoute(
  app: FastifyInstance,
  core: Core,
  tls: boolean,
  refused: RecordRefusal,
): void {
  app.post<{ Params: { name: string } }>(`${HTTP_OPERATION_PREFIX}:name`, async (request, reply) => {
    const name = request.params.name;
    if (!isOperationName(name)) {
      refused(request, 'unknown-operation', 404);
      return send(reply, { ok: false, error: { code: 'not-found', message: `No operation "${name}".` } });
    }
    if (request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
      refused(request, 'content-type', 400);
      return send(reply, {
        ok: false,
        error: { code: 'invalid-input', message: 'Send the input as application/json.' },
      });
    }
    let sessionId = request.cookies[SESSION_COOKIE] ?? null;
    const problem = csrfProblem(request, core, sessionId, name);
    if (problem) {
      refused(request, problem.reason, 403);
      return send(reply, { ok: false, error: { code: 'csrf-failed', message: problem.message } });
    }

    const context: CallContext = {
      transport: 'http',
      origin: `http:${request.ip}`,
      get sessionId() {
        return sessionId;
      },
      bindSession(id) {
        sessionId = id;
        void reply.setCookie(SESSION_COOKIE, id, sessionCookieOptions(tls));
      },
      clearSession() {
        sessionId = null;
        void reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(tls));
      },
    };
    return send(reply, await core.dispatch(name, request.body ?? {}, context));
  });
}
