import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Core } from '../app/core-types.js';
import type { Logger } from '../log/logger.js';
import { registerEventStreamRoute } from './event-stream-route.js';
import { allowedHostNames } from './host-allow-list.js';
import { registerHostCheck } from './host-check.js';
import { registerMetricsRoute, type MetricsRouteOptions } from './metrics/metrics-route.js';
import { registerOperationRoute } from './operation-route.js';
import { createRefusalAudit, type HttpRefusalReason, type RefusalAuditOptions } from './refusal-audit.js';
import { findRendererDir } from './renderer-dir.js';
import { securityHeaders } from './security-headers.js';

export interface HttpServerOptions {
  readonly core: Core;
  readonly logger: Logger;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
  /** Built console folder; found next to the bundle by default. */
  readonly rendererDir?: string | undefined;
  /** Largest accepted request body; the contract's biggest input (a secret) is far below it. */
  readonly bodyLimitBytes?: number;
  /** Host names the server answers to (see allowedHostNames); the loopback names by default. */
  readonly allowedHosts?: readonly string[] | undefined;
  /** How refusals are coalesced in the audit log (see createRefusalAudit); tests shorten the window. */
  readonly refusalAudit?: RefusalAuditOptions | undefined;
  /** How /metrics scrapes are coalesced in the audit log; tests shorten the window. */
  readonly metrics?: MetricsRouteOptions | undefined;
}

/** The body parser's failures, by Fastify error code, as audited refusal reasons. */
function parserRefusal(error: { code?: string }, status: number): HttpRefusalReason {
  if (status === 413) return 'body-too-large';
  if (status === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'content-type';
  const json = ['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY'];
  if (error.code !== undefined && json.includes(error.code)) return 'malformed-json';
  return 'bad-request';
}

/**
 * The headless console: the built renderer and the contract over HTTP + SSE, with the same
 * dispatcher (authorization, validation, audit) as Electron IPC.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const tls = options.tls !== undefined;
  const app = Fastify({
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    bodyLimit: options.bodyLimitBytes ?? 256 * 1024,
    // Fastify's own request logging stays off: our log lines go through the redacting logger only.
    logger: false,
    trustProxy: false,
  }) as unknown as FastifyInstance;

  const refused = createRefusalAudit(app, options.core, options.refusalAudit);
  // First of all hooks: a request for a foreign host name reaches no route, not even first-run setup.
  registerHostCheck(app, options.allowedHosts ?? allowedHostNames('127.0.0.1', []), options.logger, refused);

  const headers = securityHeaders(tls);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(headers);
    return payload;
  });

  // Malformed JSON, oversized bodies and the like still answer with a Result the client understands.
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    refused(request, status >= 500 ? 'internal' : parserRefusal(error, status), status);
    const code = status === 413 ? 'invalid-input' : status < 500 ? 'invalid-input' : 'internal';
    const message =
      status === 413
        ? 'The request body is too large.'
        : status < 500
          ? `Bad request: ${error.message}`
          : 'Something went wrong inside the console; the details are in its log.';
    if (status >= 500) options.logger.error({ err: error.message }, 'http request failed');
    return reply.code(status).send({ ok: false, error: { code, message } });
  });

  await app.register(fastifyCookie);
  registerOperationRoute(app, options.core, tls, refused);
  registerEventStreamRoute(app, options.core, refused);
  registerMetricsRoute(app, options.core, refused, options.metrics);

  const rendererDir = findRendererDir(options.rendererDir);
  if (rendererDir) {
    await app.register(fastifyStatic, { root: rendererDir, index: ['index.html'], wildcard: false });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && rendererDir) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    if (request.method === 'GET' && !rendererDir) {
      return reply.code(503).type('text/plain').send('The console UI is not built yet: run `npm run build`.');
    }
    refused(request, 'no-such-endpoint', 404);
    return reply.code(404).send({ ok: false, error: { code: 'not-found', message: 'No such endpoint.' } });
  });
  return app;
}
