import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.js';
import type { FaultController } from './faults.js';
import { BodyTooLarge, readBody, sendHtml, sendJson, sendNotFound, sleep } from './http-io.js';
import { latencyMs, type LatencyModel } from './latency.js';
import { json2Message, json2Status, jsonRpcError, OdooServerError } from './odoo-error.js';
import { callKw, NO_WORK, type CallWork, type OrmOutcome } from './orm.js';
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

/** `dbFault`: an injected database error (e.g. a serialization failure) this call must raise. */
type Handler = (
  body: unknown,
  request: IncomingMessage,
  dbFault: OdooServerError | null,
) => { status: number; payload: unknown; work: CallWork };

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function jsonRpcHandler(context: RouteContext, web: boolean): Handler {
  return (body, _request, dbFault) => {
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
      return { status: 200, payload: jsonRpcError(id, error), work: NO_WORK };
    }
  };
}

function json2Handler(context: RouteContext, model: string, method: string): Handler {
  return (body, request, dbFault) => {
    const { state } = context;
    const authorization = request.headers.authorization ?? '';
    const key = /^bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim() ?? '';
    const uid = state.bearerUser(key);
    if (uid === null) return { status: 401, payload: 'Invalid apikey', work: NO_WORK };
    const database = request.headers['x-odoo-database'];
    if (typeof database === 'string' && database !== state.database)
      return { status: 404, payload: `database ${database} not found`, work: NO_WORK };
    try {
      if (dbFault !== null) throw dbFault;
      const named = asObject(body);
      const ids = named.ids;
      state.calls.push({ protocol: 'json-2', service: 'json2', model, method, records: 0 });
      if (!state.db.hasModel(model))
        return { status: 404, payload: `the model '${model}' does not exist`, work: NO_WORK };
      const outcome = callKw(state, uid, model, method, ids === undefined ? [] : [ids], named);
      return { status: 200, payload: outcome.result, work: outcome.work };
    } catch (error) {
      if (!(error instanceof OdooServerError)) throw error;
      if (error.pythonName === 'builtins.AttributeError')
        return { status: 404, payload: error.message, work: NO_WORK };
      return { status: json2Status(error), payload: json2Message(error), work: NO_WORK };
    }
  };
}

function route(context: RouteContext, method: string, path: string): Handler | 'version' | null {
  if (path === '/jsonrpc' && method === 'POST') return jsonRpcHandler(context, false);
  if (path === '/web/session/authenticate' && method === 'POST') return jsonRpcHandler(context, true);
  if (context.state.version !== '19.0') return null;
  if (path === '/web/version' && method === 'GET') return 'version';
  const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  if (json2 !== null && method === 'POST')
    return json2Handler(context, decodeURIComponent(json2[1] ?? ''), decodeURIComponent(json2[2] ?? ''));
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
  let body: unknown;
  try {
    const text = await readBody(request, context.maxBodyBytes);
    body = text === '' ? null : JSON.parse(text);
  } catch (error) {
    if (error instanceof BodyTooLarge) sendHtml(response, 413, '<h1>Request Entity Too Large</h1>');
    else
      sendJson(
        response,
        400,
        handler === 'version'
          ? 'bad request'
          : { jsonrpc: '2.0', id: null, error: { code: 400, message: 'Invalid JSON data' } },
      );
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
      answer = handler(body, request, dbFault);
    } catch (error) {
      void rowLocks.finish();
      throw error;
    }
    const othersDone = rowLocks.finish();
    const delay = latencyMs(context.latency, answer.work) + context.faults.extraLatencyMs;
    await Promise.all([sleep(delay - (Date.now() - started)), othersDone]);
    sendJson(response, answer.status, answer.payload);
  } finally {
    rowLocks.release(owner);
  }
}
