import { ConnectorError, type ConnectorErrorInfo } from '../types.js';
import { classifyHttpStatus, classifyJson2Error, type OdooCall } from './failure-classifier.js';
import type { HttpAnswer } from './http-transport.js';

/**
 * Odoo 19's JSON-2 API: POST /json/2/<model>/<method> with `Authorization: bearer <api key>`, a JSON
 * object of named arguments (plus the special `ids` and `context`) and the method's return value as
 * the body. Errors use HTTP status codes with a JSON body `{name, message, arguments, context,
 * debug}` (real 19.0, see test/real-odoo/odoo19-json2-errors.test.ts), except the answers Odoo gives
 * before its JSON-2 dispatcher runs (wrong database, wrong content type), which are HTML pages.
 * `debug` holds the server's whole traceback and is never read: only `name` and `message` are.
 */

export function json2Path(model: string, method: string): string {
  return `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`;
}

export function json2Headers(apiKey: string, database: string): Record<string, string> {
  return { authorization: `bearer ${apiKey}`, 'x-odoo-database': database };
}

/** What the error body said: Odoo 19's `{name, message}`, a bare JSON string, or nothing usable. */
type ErrorBody =
  | { readonly kind: 'named'; readonly name: string; readonly message: string }
  | { readonly kind: 'text'; readonly message: string }
  | { readonly kind: 'not-json' };

function errorBody(answer: HttpAnswer): ErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return { kind: 'not-json' };
  }
  if (typeof json === 'string') return { kind: 'text', message: json };
  if (typeof json !== 'object' || json === null) return { kind: 'not-json' };
  const { name, message } = json as { name?: unknown; message?: unknown };
  if (typeof message !== 'string') return { kind: 'not-json' };
  return typeof name === 'string' && name !== ''
    ? { kind: 'named', name, message }
    : { kind: 'text', message };
}

/** Where a JSON-2 call went, for errors that must name the database or the columns. */
export interface Json2Call extends OdooCall {
  readonly database?: string;
}

/**
 * An HTML (or other non-JSON) error page: Odoo's own routing answered before JSON-2 did. Its text
 * is a page, not a message, so only the status is read; the page itself never reaches the operator.
 */
function pageAnswerInfo(status: number, call: Json2Call): ConnectorErrorInfo {
  if (status === 404 && call.database !== undefined) {
    return {
      class: 'configuration',
      code: 'odoo.database-missing',
      // JSON-2 is only used once the server said it runs 19 or later, so the endpoint exists.
      message: `There is no database '${call.database}' on this Odoo server (or its database filter hides it): check the database name`,
    };
  }
  if (status === 404)
    return classifyHttpStatus(404, 'No JSON-2 endpoint at /json/2 (it needs Odoo 19 or later)');
  if (status === 415) {
    return {
      class: 'configuration',
      code: 'odoo.json2-content-type',
      message:
        'Odoo did not receive the call as JSON (HTTP 415): something between the console and Odoo (a proxy) removes the Content-Type header',
    };
  }
  return classifyHttpStatus(status, `Odoo answered HTTP ${status} with a page instead of JSON`);
}

export function json2Result(answer: HttpAnswer, call: Json2Call = {}): unknown {
  if (answer.status === 200) {
    try {
      return JSON.parse(answer.text) as unknown;
    } catch {
      throw new ConnectorError('permanent', 'odoo.not-json', 'The server did not answer with JSON');
    }
  }
  const body = errorBody(answer);
  const info =
    body.kind === 'named'
      ? classifyJson2Error(answer.status, body.name, body.message, call)
      : body.kind === 'text'
        ? classifyHttpStatus(answer.status, body.message)
        : pageAnswerInfo(answer.status, call);
  throw new ConnectorError(info.class, info.code, info.message);
}
