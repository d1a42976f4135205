import type { FastifyInstance } from 'fastify';
import { HTTP_EVENTS_PATH } from '../../shared/contract/events.js';
import type { Core } from '../app/core-types.js';
import type { RecordRefusal } from './refusal-audit.js';
import { SESSION_COOKIE } from './session-cookie.js';

const HEARTBEAT_MS = 15_000;
/** A console that stops reading is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * GET /api/events: live events as server-sent events, bound to the session cookie the stream was
 * opened with. What a session may see is decided per event by the event bus.
 */
export function registerEventStreamRoute(app: FastifyInstance, core: Core, refused: RecordRefusal): void {
  app.get(HTTP_EVENTS_PATH, (request, reply) => {
    const sessionId = request.cookies[SESSION_COOKIE] ?? null;
    if (core.csrfTokenFor(sessionId) === null) {
      refused(request, 'unauthenticated', 401);
      return reply
        .code(401)
        .send({ ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } });
    }
    const stream = reply.raw;
    reply.hijack();
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    stream.write(': connected\n\n');

    let unsubscribe = (): void => undefined;
    const close = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      if (!stream.writableEnded) stream.end();
    };
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    unsubscribe = core.subscribe({
      sessionId: () => sessionId,
      deliver: (event) => {
        if (stream.writableLength > MAX_BUFFERED_BYTES) {
          close();
          return;
        }
        stream.write(`data: ${JSON.stringify(event)}\n\n`);
        if (event.type === 'session.ended') close();
      },
    });
    request.raw.on('close', close);
    return reply;
  });
}
