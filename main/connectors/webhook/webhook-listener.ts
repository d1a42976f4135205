import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { WebhookInSettings } from '../../../shared/domain/connection.js';
import { readSecretState } from '../../vault/read-secret.js';
import type { SecretReader } from '../../vault/types.js';
import { isLoopbackHost } from '../http/outbound-url-policy.js';
import { checkFhirNotification, checkSignedEvent, type CheckResult } from './inbound-check.js';
import type { InboundEventStore } from './inbound-event-store.js';
import { reject, type Rejection } from './inbound-rejection.js';
import { RateLimiter } from './rate-limiter.js';
import { readBodyCapped } from './read-body.js';

/**
 * The inbound webhook listener: its own HTTP server (own port and bind address, apart from the
 * headless console) for partner events (`POST /hooks/<source>`) and FHIR rest-hook notifications
 * (`POST /fhir/<source>`). An event is answered 202 only after its row is committed in SQLite, so a
 * crash right after the 2xx never loses it; every refusal has its own 4xx and code (README.md).
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
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const JSON_TYPES = new Set(['application/json', 'application/fhir+json']);

export async function startWebhookListener(options: WebhookListenerOptions): Promise<WebhookListener> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.tls === undefined && options.allowInsecureHttp !== true) {
    throw new Error(
      `Binding webhooks to ${host} needs a TLS certificate (or the explicit insecure-http opt-in for a lab).`,
    );
  }
  const now = options.now ?? Date.now;
  const limiter = new RateLimiter(now);
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch(() => {
      if (!response.headersSent)
        respond(response, 500, { error: 'internal', message: 'The listener failed.' });
    });
  };
  const server: Server =
    options.tls === undefined ? createHttpServer(handler) : createHttpsServer(options.tls, handler);
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;

  const refuse = (
    response: ServerResponse,
    request: IncomingMessage,
    sourceName: string | null,
    rejection: Rejection,
  ): void => {
    options.onRejected?.({
      sourceName,
      code: rejection.code,
      status: rejection.status,
      remoteAddress: request.socket.remoteAddress ?? null,
    });
    const headers: Record<string, string> = {};
    if (rejection.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(rejection.retryAfterSeconds);
    // An unread body would otherwise be drained on a keep-alive socket; closing is cheaper and safer.
    if (!request.complete) headers.connection = 'close';
    respond(response, rejection.status, { error: rejection.code, message: rejection.message }, headers);
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/(hooks|fhir)\/([a-z0-9][a-z0-9-]{0,62})\/?$/.exec(
      (request.url ?? '/').split('?')[0] ?? '/',
    );
    const sourceName = match?.[2] ?? null;
    const source = sourceName === null ? null : options.sources(sourceName);
    if (match === null || source === null || sourceName === null)
      return refuse(response, request, sourceName, reject('unknown-source'));
    if (request.method !== 'POST') return refuse(response, request, sourceName, reject('method-not-allowed'));
    const channel = match[1] === 'fhir' ? 'fhir-rest-hook' : 'webhook';
    const mediaType = (request.headers['content-type'] ?? '').split(';', 1).join('').trim().toLowerCase();
    const emptyAllowed = channel === 'fhir-rest-hook' && (request.headers['content-length'] ?? '0') === '0';
    if (!JSON_TYPES.has(mediaType) && !emptyAllowed)
      return refuse(response, request, sourceName, reject('unsupported-media-type'));

    const body = await readBodyCapped(request, source.settings.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'aborted') return void response.destroy();
      return refuse(response, request, sourceName, reject('body-too-large'));
    }
    const read = await readSecretState(options.secrets, source.connectionId);
    if (read.state !== 'saved') {
      const code = read.state === 'missing' ? 'source-not-ready' : 'keychain-unavailable';
      return refuse(response, request, sourceName, reject(code, 60));
    }
    const { secret } = read;

    const input = {
      source: sourceName,
      headers: request.headers,
      body: body.body,
      secret,
      clockSkewSeconds: source.settings.clockSkewSeconds,
      nowMs: now(),
    };
    const checked: CheckResult =
      channel === 'webhook' ? checkSignedEvent(input) : checkFhirNotification(input);
    if (!checked.ok) return refuse(response, request, sourceName, checked.rejection);

    const wait = limiter.take(source.connectionId, source.settings.ratePerMinute);
    if (wait > 0) return refuse(response, request, sourceName, reject('rate-limited', wait));

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
        body: body.body,
      });
    } catch {
      return refuse(response, request, sourceName, reject('store-unavailable', 30));
    }
    if (seq === null) return refuse(response, request, sourceName, reject('replayed-event'));
    respond(response, 202, { accepted: true, eventId: checked.event.eventId, seq });
    options.onAccepted?.({
      connectionId: source.connectionId,
      sourceName,
      seq,
      eventId: checked.event.eventId,
      eventType: checked.event.eventType,
    });
  }

  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      server.on('error', (error) => options.onFailure?.(error));
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeIdleConnections();
        server.close(() => resolve());
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}

function respond(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
