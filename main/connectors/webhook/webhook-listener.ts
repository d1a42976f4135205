import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { WebhookInSettings } from '../../../shared/domain/connection.js';
import { readSecretState } from '../../vault/read-secret.js';
import type { SecretReader } from '../../vault/types.js';
import { isLoopbackHost } from '../http/outbound-url-policy.js';
import { BodyTooLargeError, capBody } from './body-cap.js';
import { checkFhirNotification, checkSignedEvent, type CheckResult } from './inbound-check.js';
import type { InboundEventStore } from './inbound-event-store.js';
import { reject, type Rejection } from './inbound-rejection.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * The inbound webhook listener: a fastify server of its own (own port and bind address, apart from
 * the headless console) for partner events (`POST /hooks/<source>`) and FHIR rest-hook notifications
 * (`POST /fhir/<source>`). The body is taken as raw bytes (the HMAC covers them exactly as sent). An
 * event is answered 202 only after its row is committed in SQLite, so a crash right after the 2xx
 * never loses it; every refusal has its own 4xx and code (README.md).
 */
export interface WebhookSourceConfig {
  readonly connectionId: string;
  readonly settings: WebhookInSettings;
}

export interface AcceptedNotice {
  readonly connectionId: string;
  readonly sourceName: string;
  readonly seq: number;
  readonly eventId: string;
  readonly eventType: string;
}

export interface RejectedNotice {
  readonly sourceName: string | null;
  readonly code: Rejection['code'];
  readonly status: number;
  readonly remoteAddress: string | null;
}

export interface WebhookListenerOptions {
  readonly host?: string;
  readonly port?: number;
  /** TLS certificate and key; required for a non-loopback bind unless allowInsecureHttp is set. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  readonly allowInsecureHttp?: boolean;
  readonly events: InboundEventStore;
  /** Looked up per request, so a source added or changed in the console applies at once. */
  readonly sources: (sourceName: string) => WebhookSourceConfig | null;
  readonly secrets: SecretReader;
  readonly now?: () => number;
  readonly onAccepted?: (notice: AcceptedNotice) => void;
  readonly onRejected?: (notice: RejectedNotice) => void;
  /** The server failed after it started listening (its supervisor restarts it). */
  readonly onFailure?: (error: Error) => void;
}

export interface WebhookListener {
  /** Scheme, the address actually bound and the port: what a partner posts to (plus the path). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const JSON_TYPES = new Set(['application/json', 'application/fhir+json']);
/** The largest maxBodyBytes a source may set (shared/domain/connection.ts): fastify's backstop. */
const LARGEST_BODY = 10 * 1024 * 1024;
const INBOUND_PATH = /^\/(hooks|fhir)\/([a-z0-9][a-z0-9-]{0,62})\/?$/;

/** A request that passed the checks made before its body is read. */
interface Admitted {
  readonly sourceName: string;
  readonly source: WebhookSourceConfig;
  readonly channel: 'webhook' | 'fhir-rest-hook';
  readonly mediaType: string;
}

export async function startWebhookListener(options: WebhookListenerOptions): Promise<WebhookListener> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.tls === undefined && options.allowInsecureHttp !== true) {
    throw new Error(
      `Binding webhooks to ${host} needs a TLS certificate (or the explicit insecure-http opt-in for a lab).`,
    );
  }
  const now = options.now ?? Date.now;
  const limiter = new RateLimiter(now);
  const admitted = new WeakMap<FastifyRequest, Admitted>();

  const app = Fastify({
    ...(options.tls === undefined ? {} : { https: { key: options.tls.key, cert: options.tls.cert } }),
    // Fastify's request logging stays off: refusals are reported through onRejected only.
    logger: false,
    trustProxy: false,
    bodyLimit: LARGEST_BODY,
    requestTimeout: 15_000,
    keepAliveTimeout: 5_000,
    // A malformed percent-encoding in the path names no source.
    frameworkErrors: (_error, request, reply) => {
      void refuse(request, reply, null, reject('unknown-source'));
    },
  }) as unknown as FastifyInstance;
  app.server.headersTimeout = 10_000;

  function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    sourceName: string | null,
    rejection: Rejection,
  ): FastifyReply {
    options.onRejected?.({
      sourceName,
      code: rejection.code,
      status: rejection.status,
      remoteAddress: request.socket.remoteAddress ?? null,
    });
    if (rejection.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(rejection.retryAfterSeconds));
    // An unread body would otherwise be drained on a keep-alive socket; closing is cheaper and safer.
    if (!request.raw.complete) reply.header('connection', 'close');
    return reply.code(rejection.status).send({ error: rejection.code, message: rejection.message });
  }

  // Any body, any type, as raw bytes: the signature covers them exactly as sent, and the media
  // type is checked (415) before a byte is read.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // Everything decided before the body is read (source, method, media type, declared length), for
  // every request, matched or not: a refused request's body is never read.
  app.addHook('onRequest', async (request, reply) => {
    const match = INBOUND_PATH.exec(request.raw.url?.split('?', 1)[0] ?? '/');
    const sourceName = match?.[2] ?? null;
    const source = sourceName === null ? null : options.sources(sourceName);
    if (match === null || source === null || sourceName === null)
      return refuse(request, reply, sourceName, reject('unknown-source'));
    if (request.method !== 'POST') return refuse(request, reply, sourceName, reject('method-not-allowed'));
    const channel = match[1] === 'fhir' ? 'fhir-rest-hook' : 'webhook';
    const mediaType = (request.headers['content-type'] ?? '').split(';', 1).join('').trim().toLowerCase();
    const emptyAllowed = channel === 'fhir-rest-hook' && (request.headers['content-length'] ?? '0') === '0';
    if (!JSON_TYPES.has(mediaType) && !emptyAllowed)
      return refuse(request, reply, sourceName, reject('unsupported-media-type'));
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > source.settings.maxBodyBytes)
      return refuse(request, reply, sourceName, reject('body-too-large'));
    admitted.set(request, { sourceName, source, channel, mediaType });
    return undefined;
  });

  // A body sent without a length (chunked) is cut off once it passes this source's limit.
  app.addHook('preParsing', async (request, _reply, payload) => {
    const limit = admitted.get(request)?.source.settings.maxBodyBytes;
    return limit === undefined ? payload : payload.pipe(capBody(limit));
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
    const sourceName = admitted.get(request)?.sourceName ?? null;
    if (error instanceof BodyTooLargeError || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return refuse(request, reply, sourceName, reject('body-too-large'));
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return refuse(request, reply, sourceName, reject('unreadable-body'));
    return reply.code(500).send({ error: 'internal', message: 'The listener failed.' });
  });
  // Reached only by what the onRequest check let through and no route takes (none today).
  app.setNotFoundHandler((request, reply) => refuse(request, reply, null, reject('unknown-source')));

  const receive = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const entry = admitted.get(request);
    if (entry === undefined) return refuse(request, reply, null, reject('unknown-source'));
    const { sourceName, source, channel, mediaType } = entry;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const read = await readSecretState(options.secrets, source.connectionId);
    if (read.state !== 'saved') {
      const code = read.state === 'missing' ? 'source-not-ready' : 'keychain-unavailable';
      return refuse(request, reply, sourceName, reject(code, 60));
    }
    const input = {
      source: sourceName,
      headers: request.headers,
      body,
      secret: read.secret,
      clockSkewSeconds: source.settings.clockSkewSeconds,
      nowMs: now(),
    };
    const checked: CheckResult =
      channel === 'webhook' ? checkSignedEvent(input) : checkFhirNotification(input);
    if (!checked.ok) return refuse(request, reply, sourceName, checked.rejection);

    // Counted after authentication, so forged traffic cannot use up a partner's budget.
    const wait = limiter.take(source.connectionId, source.settings.ratePerMinute);
    if (wait > 0) return refuse(request, reply, sourceName, reject('rate-limited', wait));

    let seq: number | null;
    try {
      seq = options.events.insert({
        connectionId: source.connectionId,
        sourceName,
        channel,
        eventId: checked.event.eventId,
        eventType: checked.event.eventType,
        signedAt: checked.event.signedAt,
        contentType: mediaType === '' ? 'application/fhir+json' : mediaType,
        body,
      });
    } catch {
      return refuse(request, reply, sourceName, reject('store-unavailable', 30));
    }
    if (seq === null) return refuse(request, reply, sourceName, reject('replayed-event'));
    // The row is committed (insert is synchronous): only now the 202.
    void reply.code(202).send({ accepted: true, eventId: checked.event.eventId, seq });
    options.onAccepted?.({
      connectionId: source.connectionId,
      sourceName,
      seq,
      eventId: checked.event.eventId,
      eventType: checked.event.eventType,
    });
    return reply;
  };
  app.post('/hooks/:source', receive);
  app.post('/fhir/:source', receive);
  app.post('/hooks/:source/', receive);
  app.post('/fhir/:source/', receive);

  try {
    await app.listen({ port: options.port ?? 0, host });
  } catch (error) {
    await app.close();
    throw error;
  }
  app.server.on('error', (error) => options.onFailure?.(error));
  const bound = app.server.address() as AddressInfo;
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${shownHost}:${bound.port}`,
    port: bound.port,
    close: async () => {
      // In-flight requests get 2 s to finish (their rows are committed before the answer anyway).
      const force = setTimeout(() => app.server.closeAllConnections(), 2000);
      force.unref();
      await app.close();
      clearTimeout(force);
    },
  };
}
