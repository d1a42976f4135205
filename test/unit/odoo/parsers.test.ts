import { describe, expect, it } from 'vitest';
import { parseFieldsGet } from '../../../main/connectors/odoo/fields-get.js';
import { json2Result } from '../../../main/connectors/odoo/json2-wire.js';
import { jsonRpcResult, parseJsonRpcBody } from '../../../main/connectors/odoo/json-rpc-wire.js';
import { loadResultSchema } from '../../../main/connectors/odoo/load-batch.js';
import { parseCommonVersion, parseWebVersion } from '../../../main/connectors/odoo/server-version.js';
import { ConnectorError } from '../../../main/connectors/types.js';
import { fixtureJson, fixtureNames, fixtureText } from './fixtures.js';

/** The connector's parsers, run over every recorded Odoo 17 response, and over bad input. */

const ok = (text: string) => ({ status: 200, contentType: 'application/json', text });

describe('JSON-RPC envelope parser', () => {
  it.each(fixtureNames('.resp.json'))('parses %s', (name) => {
    const text = fixtureText(name);
    const outcome = parseJsonRpcBody(text);
    const raw = JSON.parse(text) as Record<string, unknown>;
    if ('error' in raw) {
      expect(outcome.ok).toBe(false);
      expect(() => jsonRpcResult(ok(text))).toThrow(ConnectorError);
    } else {
      expect(outcome).toEqual({ ok: true, result: raw.result });
      expect(jsonRpcResult(ok(text))).toEqual(raw.result);
    }
  });

  it.each([
    ['not JSON', '<html>', 'odoo.not-json'],
    ['a JSON array', '[1,2]', 'odoo.bad-envelope'],
    ['a wrong jsonrpc version', '{"jsonrpc":"1.0","id":1,"result":1}', 'odoo.bad-envelope'],
    ['an error without code', '{"jsonrpc":"2.0","id":1,"error":{"message":"x"}}', 'odoo.bad-envelope'],
  ])('rejects %s', (_label, text, code) => {
    expect(() => parseJsonRpcBody(text)).toThrow(expect.objectContaining({ code }) as Error);
  });

  it('reads a reply without result as a method that returned None (Odoo omits the key)', () => {
    expect(parseJsonRpcBody('{"jsonrpc":"2.0","id":1}')).toEqual({ ok: true, result: null });
    expect(jsonRpcResult(ok('{"jsonrpc":"2.0","id":1}'))).toBeNull();
  });

  it('classifies a non-200 answer by its status', () => {
    expect(() => jsonRpcResult({ status: 502, contentType: 'text/html', text: '' })).toThrow(
      expect.objectContaining({ class: 'transient', code: 'http.502' }) as Error,
    );
  });
});

describe('result parsers on recorded bodies', () => {
  it('reads the server version', () => {
    const { result } = fixtureJson<{ result: unknown }>('common_version.resp.json');
    expect(parseCommonVersion(result)).toEqual({ serverVersion: '17.0', major: 17 });
    expect(
      parseCommonVersion({ server_version: 'saas~17.2', server_version_info: ['saas~17', 2] })?.major,
    ).toBe(17);
    expect(parseCommonVersion({ server_version: 17 })).toBeNull();
    expect(parseWebVersion({ version: '19.0', version_info: [19, 0, 0, 'final', 0, ''] })).toEqual({
      serverVersion: '19.0',
      major: 19,
    });
    expect(parseWebVersion('19.0')).toBeNull();
  });

  it.each(
    fixtureNames('.resp.json').filter(
      (name) => name.startsWith('load_') && name !== 'load_unknown_field.resp.json',
    ),
  )('reads the load answer %s', (name) => {
    const { result } = fixtureJson<{ result: unknown }>(name);
    expect(loadResultSchema.safeParse(result).success).toBe(true);
  });

  it('reads fields_get for the mapping editor', () => {
    const { result } = fixtureJson<{ result: unknown }>('fields_get_partner_subset.resp.json');
    expect(parseFieldsGet(result)).toEqual([
      {
        name: 'child_ids',
        label: 'Contact',
        type: 'one2many',
        required: false,
        readonly: false,
        relation: 'res.partner',
        selection: null,
      },
      {
        name: 'country_id',
        label: 'Country',
        type: 'many2one',
        required: false,
        readonly: false,
        relation: 'res.country',
        selection: null,
      },
      {
        name: 'email',
        label: 'Email',
        type: 'char',
        required: false,
        readonly: false,
        relation: null,
        selection: null,
      },
      {
        name: 'name',
        label: 'Name',
        type: 'char',
        required: false,
        readonly: false,
        relation: null,
        selection: null,
      },
    ]);
    expect(() => parseFieldsGet([1, 2])).toThrow(ConnectorError);
    expect(() => parseFieldsGet({ name: { string: 'Name' } })).toThrow(ConnectorError);
  });
});

describe('JSON-2 answers', () => {
  it('returns the body of a 200 and reads the message of an error', () => {
    expect(json2Result(ok('[{"id":3}]'))).toEqual([{ id: 3 }]);
    expect(() =>
      json2Result({ status: 401, contentType: 'application/json', text: '"Invalid apikey"' }),
    ).toThrow(
      expect.objectContaining({
        class: 'authentication',
        code: 'http.401',
        message: 'Invalid apikey',
      }) as Error,
    );
    expect(() =>
      json2Result({ status: 422, contentType: 'application/json', text: '{"message":"bad"}' }),
    ).toThrow(expect.objectContaining({ class: 'permanent', message: 'bad' }) as Error);
  });

  it('explains the recorded Odoo 17 404 for /json/2', () => {
    const headers = fixtureText('json2_404.txt');
    expect(headers).toContain('404 NOT FOUND');
    expect(() =>
      json2Result({ status: 404, contentType: 'text/html;charset=utf-8', text: '<html>' }),
    ).toThrow(
      expect.objectContaining({
        message: 'No JSON-2 endpoint at /json/2 (it needs Odoo 19 or later)',
      }) as Error,
    );
    expect(() => json2Result(ok('not json'))).toThrow(
      expect.objectContaining({ code: 'odoo.not-json' }) as Error,
    );
  });
});
