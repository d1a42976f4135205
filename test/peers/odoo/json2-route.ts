import type { IncomingMessage } from 'node:http';
import type { EmulatorState } from './emulator-state.js';
import { json2Body, json2Status, OdooServerError, WerkzeugError } from './odoo-error.js';
import { callKw, methodSignature, NO_WORK, type CallWork } from './orm.js';
import type { PySignature } from './orm-signatures.js';

/**
 * Odoo 19's JSON-2 route, `POST /json/2/<model>/<method>`, in the order the real server checks
 * things (odoo/http.py and addons/rpc/controllers/json2.py of 19.0): the database header (an HTML
 * 404), the content type (an HTML 415), the bearer key (401), the body (400), the model and the
 * method (404, a private method 403), ids given to an @api.model method and the signature (422),
 * then the ORM, whose exceptions answer by class (json2Status: a plain Python error is a 500).
 * Success is the bare return value. Werkzeug's and Odoo's HTML pages are copied from 19.0.
 */

export interface Json2Answer {
  readonly status: number;
  readonly payload: unknown;
  readonly work: CallWork;
  /** An HTML answer instead of JSON (the two cases where 19.0 does not answer JSON). */
  readonly html?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** odoo/http.py NOT_FOUND_NODB: a wrong X-Odoo-Database matches no database. */
const NOT_FOUND_NODB = `<!DOCTYPE html>
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>
<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>

<!-- Alternatively, use the X-Odoo-Database header. -->
`;

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#x27;');

/** Werkzeug's UnsupportedMediaType page with the message of Request._set_request_dispatcher. */
function unsupportedMediaType(): string {
  const message =
    "Request inferred type is compatible with ['http'] but '/json/2/<__model__>/<__method__>' is type='json2'.\n\nPlease verify the Content-Type request header and try again.";
  return `<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n<h1>Unsupported Media Type</h1>\n<p>${escapeHtml(message)}</p>\n`;
}

const failure = (error: OdooServerError, headers?: Record<string, string>): Json2Answer => ({
  status: json2Status(error),
  payload: json2Body(error),
  work: NO_WORK,
  ...(headers === undefined ? {} : { headers }),
});

/**
 * Python's json error for the body, e.g. "Expecting value: line 1 column 13 (char 12)". V8 words
 * its errors differently; the offending character's position is what both give.
 */
function parseBody(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const token = /^Unexpected token '(.)'/.exec(message)?.[1];
    const at = Number(
      /at position (\d+)/.exec(message)?.[1] ?? (token === undefined ? 0 : text.indexOf(token)),
    );
    const line = text.slice(0, at).split('\n').length;
    const column = at - text.lastIndexOf('\n', at - 1);
    throw new WerkzeugError(
      400,
      'BadRequest',
      `could not parse the body as json: Expecting value: line ${line} column ${column} (char ${at})`,
    );
  }
}

/** inspect.signature(func).bind(records, **kwargs): JSON-2 takes keyword arguments only. */
function checkSignature(signature: PySignature, kwargs: Readonly<Record<string, unknown>>): void {
  for (const name of Object.keys(kwargs)) {
    if (!signature.params.includes(name) && signature.passesKwargs === undefined)
      throw new WerkzeugError(422, 'UnprocessableEntity', `got an unexpected keyword argument '${name}'`);
  }
  const missing = signature.params.find((name) => !(name in kwargs) && !(name in (signature.defaults ?? {})));
  if (missing !== undefined)
    throw new WerkzeugError(422, 'UnprocessableEntity', `missing a required argument: '${missing}'`);
}

function call(state: EmulatorState, uid: number, model: string, method: string, body: unknown): Json2Answer {
  const named =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const { ids = [], context: _context, ...kwargs } = named;
  state.calls.push({ protocol: 'json-2', service: 'json2', model, method, records: 0 });
  if (!state.db.hasModel(model))
    throw new WerkzeugError(404, 'NotFound', `the model '${model}' does not exist`);
  let signature: PySignature;
  try {
    signature = methodSignature(state, model, method);
  } catch (error) {
    if (error instanceof OdooServerError && error.pythonName === 'builtins.AttributeError')
      throw new WerkzeugError(404, 'NotFound', error.message);
    throw error;
  }
  if (!signature.onRecords && Array.isArray(ids) && ids.length > 0)
    throw new WerkzeugError(422, 'UnprocessableEntity', `cannot call ${model}.${method} with ids`);
  checkSignature(signature, kwargs);
  const outcome = callKw(state, uid, model, method, signature.onRecords ? [ids] : [], kwargs);
  // A Python None is JSON null here (JSON-RPC leaves `result` out instead).
  return { status: 200, payload: outcome.result ?? null, work: outcome.work };
}

export function json2Call(
  state: EmulatorState,
  request: IncomingMessage,
  text: string,
  dbFault: OdooServerError | null,
  model: string,
  method: string,
): Json2Answer {
  const database = request.headers['x-odoo-database'];
  if (typeof database === 'string' && database !== state.database)
    return { status: 404, payload: null, work: NO_WORK, html: NOT_FOUND_NODB };
  const mimetype = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (text !== '' && mimetype !== 'application/json')
    return { status: 415, payload: null, work: NO_WORK, html: unsupportedMediaType() };
  const key = /^bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
  const uid = key === undefined ? null : state.bearerUser(key);
  if (uid === null) {
    const message =
      key === undefined
        ? 'User not authenticated, use an API Key with a Bearer Authorization header.'
        : 'Invalid apikey';
    return failure(new WerkzeugError(401, 'Unauthorized', message), { 'www-authenticate': 'Bearer' });
  }
  try {
    const body = parseBody(text);
    if (dbFault !== null) throw dbFault;
    return call(state, uid, model, method, body);
  } catch (error) {
    if (!(error instanceof OdooServerError)) throw error;
    return failure(error);
  }
}

/** Any other request under /json/2 (a GET, a path without a method): 19.0's catch-all route. */
export function json2NotFound(): Json2Answer {
  return failure(new WerkzeugError(404, 'NotFound', 'Did you mean POST /json/2/<model>/<method>?'));
}
