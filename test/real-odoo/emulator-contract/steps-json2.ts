import type { ContractStep, StepContext } from './replay.js';

/**
 * Contract steps for Odoo 19's JSON-2 route itself, sent as raw HTTP (the ORM's own errors go over
 * JSON-2 in the other steps): the key, the database header and the content type (401, and the two
 * HTML answers), the body (400), the route's catch-all (404), ids given to an @api.model method and
 * the signature check (422). Status, body shape, name and message are compared; `debug` only as a
 * non-empty string (normalize.ts).
 */

interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  readonly key?: string | null;
  readonly database?: string;
  readonly contentType?: string | null;
  readonly body?: string;
}

function raw(c: StepContext, request: RawRequest) {
  const headers: Record<string, string> = { 'x-odoo-database': request.database ?? c.target.database };
  const key = request.key === undefined ? c.target.integration.key : request.key;
  if (key !== null) headers.authorization = `bearer ${key}`;
  const type = request.contentType === undefined ? 'application/json' : request.contentType;
  if (type !== null) headers['content-type'] = type;
  const method = request.method ?? 'POST';
  return c.http(request.path ?? '/json/2/res.partner/search_count', {
    method,
    headers,
    ...(method === 'GET' ? {} : { body: request.body ?? '{"domain": [["id", "=", 1]]}' }),
  });
}

function step(name: string, about: string, request: RawRequest): ContractStep {
  return { name, about, run: (c) => raw(c, request) };
}

export const JSON2_STEPS: readonly ContractStep[] = [
  step('json2-ok', 'a plain call: the bare return value', {}),
  step('json2-no-key', 'no Authorization header: 401', { key: null }),
  step('json2-wrong-key', 'a wrong key: 401 Invalid apikey', {
    key: '0123456789abcdef0123456789abcdef01234567',
  }),
  step('json2-wrong-database', 'a wrong X-Odoo-Database: an HTML 404', { database: 'osc_no_such_db' }),
  step('json2-no-content-type', 'a body that is not declared JSON: an HTML 415', {
    contentType: 'text/plain',
  }),
  step('json2-malformed-json', 'a body that is not JSON: 400', { body: '{"domain": [}' }),
  step('json2-get', 'GET on a JSON-2 path: the catch-all 404', { method: 'GET' }),
  step('json2-ids-on-model-method', 'ids given to an @api.model method: 422', {
    path: '/json/2/res.partner/search_read',
    body: '{"ids": [1], "domain": []}',
  }),
  step('json2-missing-argument', 'a required argument left out: 422', { body: '{}' }),
  step('json2-array-body', 'a JSON array is ignored: the argument is missing, 422', { body: '[1]' }),
  step('json2-unexpected-argument', 'an argument the method does not take: 422', {
    path: '/json/2/res.partner/read',
    body: '{"ids": [1], "fields": ["name"], "colour": "red"}',
  }),
  step('json2-unknown-field-in-fields', 'an unknown field in fields: 500 ValueError', {
    path: '/json/2/res.partner/search_read',
    body: '{"domain": [], "fields": ["name", "no_such_field"], "limit": 1}',
  }),
  step('json2-none-result', 'a method that returns None: null', {
    path: '/json/2/res.partner/check_access_rights',
    body: '{"operation": "read"}',
  }),
];
