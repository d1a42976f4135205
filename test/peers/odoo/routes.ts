import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.js';
import type { FaultController } from './faults.js';
import { BodyTooLarge, readBody, sendHtml, sendJson, sendNotFound, sleep } from './http-io.js';
import { latencyMs, type LatencyModel } from './latency.js';
import { json2Call, json2NotFound, type Json2Answer } from './json2-route.js';
import { jsonRpcError, OdooServerError } from './odoo-error.js';
import { NO_WORK, type OrmOutcome } from './orm.js';
import { dispatchService, webAuthenticate } from './rpc-dispatch.js';

/**
 * HTTP routing of the emulator: /jsonrpc, /web/session/authenticate, /json/2/<model>/<method>
 * (Odoo 19 only; Odoo 17 answers it with Werkzeug's 404 page) and GET /web/version (19 only). Faults
 * and the latency model are applied here, around the ORM work.
 */

export interface RouteContext {
  readonly state: EmulatorState;
  readonly faults: FaultController;
  readonly latency: LatencyModel;
  readonly maxBodyBytes: number;
}

/**
 * `text`: the request body; `dbFault`: an injected database error (e.g. a serialization failure)
 * this call must raise.
 */
type Handler = (text: string, request: IncomingMessage, dbFault: OdooServerError | null) => Json2Answer;

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function jsonRpcHandler(context: RouteContext, web: boolean): Handler {
  return (text, _request, dbFault) => {
    let body: unknown;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      const payload = { jsonrpc: '2.0', id: null, error: { code: 400, message: 'Invalid JSON data' } };
      return { status: 400, payload, work: NO_WORK };
    }
    const envelope = asObject(body);
    const id = envelope.id ?? null;
    const params = asObject(envelope.params);
    try {
      if (dbFault !== null) throw dbFault;
      const outcome: OrmOutcome = web
        ? { result: webAuthenticate(context.state, params), work: NO_WORK }
        : dispatchService(context.state, params.service, params.method, params.args);
      return {
        status: 200,
        // A Python None result is left out of the answer (button_draft answers no `result`).
        payload: { jsonrpc: '2.0', id, result: outcome.result },
        work: outcome.work,
      };
    } catch (error) {
      if (!(error instanceof OdooServerError)) throw error;
      return { status: 200, payload: jsonRpcError(id, error, context.state.version), work: NO_WORK };
    }
  };
}

function route(context: RouteContext, method: string, path: string): Handler | 'version' | null {
  if (path === '/jsonrpc' && method === 'POST') return jsonRpcHandler(context, false);
  if (path === '/web/session/authenticate' && method === 'POST') return jsonRpcHandler(context, true);
  if (context.state.version !== '19.0') return null;
  if (path === '/web/version' && method === 'GET') return 'version';
  const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  if (json2 !== null && method === 'POST') {
    const [model, ormMethod] = [json2[1] ?? '', json2[2] ?? ''].map(decodeURIComponent);
    return (text, request, dbFault) =>
      json2Call(context.state, request, text, dbFault, model ?? '', ormMethod ?? '');
  }
  if (path === '/json/2' || path.startsWith('/json/2/')) return () => json2NotFound();
  return null;
}

export async function handleRequest(
  context: RouteContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { traffic } = context.state;
  traffic.requests += 1;
  traffic.inFlight += 1;
  traffic.peakInFlight = Math.max(traffic.peakInFlight, traffic.inFlight);
  response.once('close', () => {
    traffic.inFlight -= 1;
  });
  const path = new URL(request.url ?? '/', 'http://emulator').pathname;
  const handler = route(context, request.method ?? 'GET', path);
  if (handler === null) {
    sendNotFound(response);
    return;
  }
  const started = Date.now();
  const fault = context.faults.take();
  if (fault?.kind === 'reset') {
    request.socket.destroy();
    return;
  }
  if (fault?.kind === 'hang') return; // never answered; the server closes it on shutdown
  if (fault?.kind === 'status') {
    sendHtml(
      response,
      fault.status,
      `<html><body><h1>${fault.status}</h1><p>Injected fault</p></body></html>`,
    );
    return;
  }
  let text: string;
  try {
    text = await readBody(request, context.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    sendHtml(response, 413, '<h1>Request Entity Too Large</h1>');
    return;
  }
  if (handler === 'version') {
    sendJson(response, 200, { version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' });
    return;
  }
  const dbFault = fault?.kind === 'db-error' ? new OdooServerError(fault.name, fault.message) : null;
  // The rows a load updates stay locked until it answers (its transaction commits then).
  const { rowLocks } = context.state;
  const owner = rowLocks.start();
  try {
    let answer: ReturnType<Handler>;
    try {
      answer = handler(text, request, dbFault);
    } catch (error) {
      void rowLocks.finish();
      throw error;
    }
    const othersDone = rowLocks.finish();
    const delay = latencyMs(context.latency, answer.work) + context.faults.extraLatencyMs;
    await Promise.all([sleep(delay - (Date.now() - started)), othersDone]);
    if (answer.html !== undefined) sendHtml(response, answer.status, answer.html);
    else sendJson(response, answer.status, answer.payload, answer.headers);
  } finally {
    rowLocks.release(owner);
  }
}
