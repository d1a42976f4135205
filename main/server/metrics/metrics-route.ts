import type { FastifyInstance } from 'fastify';
import type { Core } from '../../app/core-types.js';
import type { RecordRefusal } from '../refusal-audit.js';
import { SESSION_COOKIE } from '../session-cookie.js';
import { EXPOSITION_CONTENT_TYPE } from './exposition.js';
import { ScrapeAudit } from './scrape-audit.js';

export const METRICS_PATH = '/metrics';

export interface MetricsRouteOptions {
  /** How long repeated scrapes are only counted in the audit log (see ScrapeAudit); 1 hour by default. */
  readonly auditWindowMs?: number | undefined;
}

/**
 * GET /metrics: the Prometheus text exposition, for a signed-in session of a role that may read runs
 * (the session cookie; the console has no API tokens). A GET changes nothing, so, like the event
 * stream, it needs no CSRF token; SameSite=Strict keeps other sites' pages from sending the cookie,
 * and the Host check and loopback bind apply as to every route. Refusals are audited (coalesced) by
 * the HTTP layer; scrapes through ScrapeAudit.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  core: Core,
  refused: RecordRefusal,
  options: MetricsRouteOptions = {},
): void {
  const audit = new ScrapeAudit({
    windowMs: options.auditWindowMs ?? 60 * 60_000,
    maxWindows: 256,
    write: (row) => core.auditTransportRefusal(row),
  });
  app.addHook('onClose', (_app, done) => {
    audit.flush();
    done();
  });
  app.get(METRICS_PATH, (request, reply) => {
    const scrape = core.scrapeMetrics(request.cookies[SESSION_COOKIE] ?? null);
    void reply.header('cache-control', 'no-store');
    if (!scrape.ok) {
      refused(request, scrape.status === 403 ? 'forbidden' : 'unauthenticated', scrape.status);
      return reply
        .code(scrape.status)
        .send({ ok: false, error: { code: scrape.code, message: scrape.message } });
    }
    audit.note(scrape.operator, request.ip);
    return reply.code(200).header('content-type', EXPOSITION_CONTENT_TYPE).send(scrape.text);
  });
}
