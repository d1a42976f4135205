import type { FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger.js';
import { hostNameOf } from './host-allow-list.js';
import type { RecordRefusal } from './refusal-audit.js';

/** Distinct refused names logged once each, so a page hammering the server cannot flood the log. */
const MAX_LOGGED_NAMES = 100;

function refusal(name: string | null): string {
  return name === null
    ? 'The request has no valid Host header, so the console does not answer it.'
    : `This console does not answer to the host name "${name}". If that name is yours, start osc serve ` +
        `with --allowed-host ${name}.`;
}

/**
 * Refuses, before any route runs (the page, the API, the event stream, first-run setup), a request
 * whose Host is not one of `names`: a rebound DNS name would otherwise reach this server from another
 * site's page as if it were the console's own origin. The answer is 421 Misdirected Request with a
 * Result; the log gets the refused name and path only, never cookies, headers or a body, and the audit log
 * gets a coalesced `http.refused` row.
 */
export function registerHostCheck(
  app: FastifyInstance,
  names: readonly string[],
  logger: Logger,
  refused: RecordRefusal,
): void {
  const allowed = new Set(names);
  const logged = new Set<string>();
  app.addHook('onRequest', async (request, reply) => {
    const name = hostNameOf(request.headers.host);
    if (name !== null && allowed.has(name)) return;
    const key = name ?? '';
    if (!logged.has(key) && logged.size < MAX_LOGGED_NAMES) {
      logged.add(key);
      logger.warn(
        { host: name ?? '(none)', method: request.method, path: request.url.split('?')[0]?.slice(0, 200) },
        'request for a host name this console does not answer to refused',
      );
    }
    refused(request, 'foreign-host', 421);
    return reply
      .code(421)
      .header('cache-control', 'no-store')
      .send({ ok: false, error: { code: 'forbidden', message: refusal(name) } });
  });
}
