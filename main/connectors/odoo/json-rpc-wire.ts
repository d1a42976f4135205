import { z } from 'zod';
import { ConnectorError } from '../types.js';
import { classifyHttpStatus, classifyOdooError, type OdooCall } from './failure-classifier.js';
import type { HttpAnswer } from './http-transport.js';

/**
 * The JSON-RPC 2.0 envelope Odoo 8–19 speaks at POST /jsonrpc (see test/fixtures/odoo17). Odoo
 * reports server errors as HTTP 200 with `error.data.name` holding the Python exception class.
 */

export type JsonRpcService = 'common' | 'object' | 'db';

export interface JsonRpcRequest {
  readonly jsonrpc: '2.0';
  readonly method: 'call';
  readonly params: {
    readonly service: JsonRpcService;
    readonly method: string;
    readonly args: readonly unknown[];
  };
  readonly id: number;
}

let nextRequestId = 1;

export function jsonRpcRequest(
  service: JsonRpcService,
  method: string,
  args: readonly unknown[],
): JsonRpcRequest {
  nextRequestId = (nextRequestId % 1_000_000_000) + 1;
  return { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: nextRequestId };
}

const errorDataSchema = z.object({
  name: z.string(),
  message: z.string(),
  arguments: z.array(z.unknown()).optional(),
  debug: z.string().optional(),
});

// Odoo leaves `result` out when the Python method returned None (e.g. account.move.button_draft):
// a reply with neither `result` nor `error` is a successful call whose result is null. The success
// shape is strict so that a malformed `error` is not mistaken for it.
export const jsonRpcResponseSchema = z.union([
  z.object({
    jsonrpc: z.literal('2.0'),
    id: z.unknown(),
    error: z.object({ code: z.number(), message: z.string(), data: errorDataSchema.optional() }),
  }),
  z.strictObject({ jsonrpc: z.literal('2.0'), id: z.unknown(), result: z.unknown().optional() }),
]);

export type JsonRpcOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly name: string; readonly message: string };

/** Parse one JSON-RPC body (already known to be HTTP 200); throws ConnectorError on a malformed one. */
export function parseJsonRpcBody(text: string): JsonRpcOutcome {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConnectorError(
      'permanent',
      'odoo.not-json',
      'The server did not answer with JSON: is this an Odoo URL?',
    );
  }
  const parsed = jsonRpcResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConnectorError(
      'permanent',
      'odoo.bad-envelope',
      'The server answered JSON that is not a JSON-RPC reply',
    );
  }
  const body = parsed.data;
  if ('error' in body) {
    const data = body.error.data;
    return data === undefined
      ? { ok: false, name: 'jsonrpc.error', message: body.error.message }
      : { ok: false, name: data.name, message: data.message };
  }
  return { ok: true, result: body.result ?? null };
}

/**
 * Turn an HTTP answer to a JSON-RPC call into its result, or throw a classified ConnectorError.
 * `call` names the ORM call when there was one, for messages that say which model or column.
 */
export function jsonRpcResult(answer: HttpAnswer, call: OdooCall = {}): unknown {
  if (answer.status !== 200) {
    const info = classifyHttpStatus(
      answer.status,
      answer.status === 404 ? 'No JSON-RPC endpoint at /jsonrpc' : '',
    );
    throw new ConnectorError(info.class, info.code, info.message);
  }
  const outcome = parseJsonRpcBody(answer.text);
  if (outcome.ok) return outcome.result;
  const info = classifyOdooError(outcome.name, outcome.message, call);
  throw new ConnectorError(info.class, info.code, info.message);
}
