import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';

/**
 * The emulator's JSON-2 mode answers as a real Odoo 19.0 does (the answers recorded in
 * ../shared/odoo19-server/json2-observed.md; test/real-odoo/emulator-contract.test.ts compares
 * them with a live 19.0): the bare value on success, `{name, message, arguments, context, debug}`
 * with the class's status on failure, and HTML for a wrong database or content type.
 */

const KEY = 'json2-key-not-secret';
let odoo: OdooEmulator;

beforeAll(async () => {
  odoo = await startOdooEmulator({ version: '19.0', apiKeys: [{ key: KEY }] });
});
afterAll(() => odoo.close());

interface Sent {
  readonly path: string;
  readonly body?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
}

async function send({ path, body = '{}', method = 'POST', headers = {} }: Sent) {
  const response = await fetch(`${odoo.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `bearer ${KEY}`, ...headers },
    ...(method === 'GET' ? {} : { body }),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    type,
    json: (type.startsWith('application/json') ? JSON.parse(text) : text) as unknown,
  };
}

const error = (name: string, message: string, extra: unknown[] = []) => ({
  name,
  message,
  arguments: [message, ...extra],
  context: {},
  debug: expect.stringMatching(/^Traceback \(most recent call last\):\n.+/s) as unknown,
});

describe('the emulator in JSON-2 mode (Odoo 19)', () => {
  it('answers the bare return value, and null for a method returning None', async () => {
    const body = '{"domain": [["id", "=", 1]], "fields": ["name"]}';
    expect(await send({ path: '/json/2/res.partner/search_read', body })).toMatchObject({
      status: 200,
      json: [{ id: 1, name: 'My Company (San Francisco)' }],
    });
    const none = await send({
      path: '/json/2/res.partner/check_access_rights',
      body: '{"operation": "read"}',
    });
    expect(none).toMatchObject({ status: 200, json: null });
  });

  it.each([
    [
      'no key',
      { path: '/json/2/res.partner/search_count', headers: { authorization: '' } },
      401,
      'werkzeug.exceptions.Unauthorized',
      'User not authenticated, use an API Key with a Bearer Authorization header.',
      [401],
    ],
    [
      'a wrong key',
      { path: '/json/2/res.partner/search_count', headers: { authorization: 'bearer nope' } },
      401,
      'werkzeug.exceptions.Unauthorized',
      'Invalid apikey',
      [401],
    ],
    [
      'malformed JSON',
      { path: '/json/2/res.partner/search_read', body: '{"domain": [}' },
      400,
      'werkzeug.exceptions.BadRequest',
      'could not parse the body as json: Expecting value: line 1 column 13 (char 12)',
      [400],
    ],
    [
      'an unknown model',
      { path: '/json/2/no.such.model/search_read', body: '{"domain": []}' },
      404,
      'werkzeug.exceptions.NotFound',
      "the model 'no.such.model' does not exist",
      [404],
    ],
    [
      'an unknown method',
      { path: '/json/2/res.partner/no_such_method' },
      404,
      'werkzeug.exceptions.NotFound',
      "The method 'res.partner.no_such_method' does not exist",
      [404],
    ],
    [
      'a GET',
      { path: '/json/2/res.partner/search_count', method: 'GET' },
      404,
      'werkzeug.exceptions.NotFound',
      'Did you mean POST /json/2/<model>/<method>?',
      [404],
    ],
    [
      'a private method',
      { path: '/json/2/res.partner/_compute_display_name' },
      403,
      'odoo.exceptions.AccessError',
      "Private methods (such as 'res.partner._compute_display_name') cannot be called remotely.",
      [],
    ],
    [
      'ids for an @api.model method',
      { path: '/json/2/res.partner/search_read', body: '{"ids": [1], "domain": []}' },
      422,
      'werkzeug.exceptions.UnprocessableEntity',
      'cannot call res.partner.search_read with ids',
      [422],
    ],
    [
      'a missing argument',
      { path: '/json/2/res.partner/search_count', body: '[1]' },
      422,
      'werkzeug.exceptions.UnprocessableEntity',
      "missing a required argument: 'domain'",
      [422],
    ],
    [
      'a missing record',
      { path: '/json/2/res.partner/write', body: '{"ids": [999999], "vals": {"name": "x"}}' },
      404,
      'odoo.exceptions.MissingError',
      'Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)',
      [],
    ],
    [
      'a contact without a name',
      { path: '/json/2/res.partner/create', body: '{"vals_list": [{"email": "x@example.com"}]}' },
      422,
      'odoo.exceptions.ValidationError',
      'Contacts require a name',
      [],
    ],
    [
      'an unknown field in fields',
      { path: '/json/2/res.partner/search_read', body: '{"domain": [], "fields": ["no_such_field"]}' },
      500,
      'builtins.ValueError',
      "Invalid field 'no_such_field' on 'res.partner'",
      [],
    ],
    [
      'an unknown field in a domain',
      { path: '/json/2/res.partner/search_read', body: '{"domain": [["no_such_field", "=", 1]]}' },
      500,
      'builtins.ValueError',
      "Invalid field res.partner.no_such_field in condition ('no_such_field', '=', 1)",
      [],
    ],
    [
      'an unknown load column',
      {
        path: '/json/2/res.partner/load',
        body: '{"fields": ["id", "no_such_field"], "data": [["x.y", "1"]]}',
      },
      500,
      'builtins.ValueError',
      "Invalid field name 'no_such_field'",
      [],
    ],
    [
      'an unexpected keyword passed on',
      { path: '/json/2/res.partner/search_read', body: '{"domain": [], "fields": ["name"], "bogus": 1}' },
      500,
      'builtins.TypeError',
      "BaseModel._read_format() got an unexpected keyword argument 'bogus'",
      [],
    ],
  ] as const)(
    'answers %s with its status and error body',
    async (_label, sent, status, name, message, extra) => {
      const answer = await send(sent);
      expect(answer).toMatchObject({ status, type: 'application/json; charset=utf-8' });
      expect(answer.json).toEqual(error(name, message, [...extra]));
    },
  );

  it('answers a wrong database and a body not declared JSON in HTML', async () => {
    const wrongDb = await send({
      path: '/json/2/res.partner/search_count',
      headers: { 'x-odoo-database': 'nope' },
    });
    expect(wrongDb).toMatchObject({ status: 404, type: 'text/html; charset=utf-8' });
    expect(wrongDb.json).toContain('No database is selected');
    const text = await send({
      path: '/json/2/res.partner/search_count',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text).toMatchObject({ status: 415, type: 'text/html; charset=utf-8' });
    expect(text.json).toContain('<title>415 Unsupported Media Type</title>');
  });

  it('speaks 19.0 models: product type + is_storable, no stock.move name', async () => {
    const fields = await send({
      path: '/json/2/product.product/fields_get',
      body: '{"attributes": ["type"]}',
    });
    expect(Object.keys(fields.json as object)).toEqual(expect.arrayContaining(['type', 'is_storable']));
    expect(fields.json).not.toHaveProperty('detailed_type');
    const move = await send({ path: '/json/2/stock.move/fields_get', body: '{"attributes": ["type"]}' });
    expect(move.json).not.toHaveProperty('name');
  });
});
