import { describe, expect, it } from 'vitest';
import {
  classifyHttpStatus,
  classifyNetworkError,
  classifyOdooError,
  type OdooCall,
} from '../../../main/connectors/odoo/failure-classifier.js';
import { parseJsonRpcBody } from '../../../main/connectors/odoo/json-rpc-wire.js';
import { fixtureNames, fixtureText } from './fixtures.js';

/** The error taxonomy over every recorded real-Odoo error, plus HTTP statuses and network errors. */

const EXPECTED: Readonly<Record<string, { class: string; code: string }>> = {
  'apikey_web_session_auth_rejected.resp.json': { class: 'authentication', code: 'odoo.AccessDenied' },
  'apikey_wrong_key.resp.json': { class: 'authentication', code: 'odoo.AccessDenied' },
  'err_access_demo_create_user.resp.json': { class: 'authentication', code: 'odoo.AccessError' },
  'err_access_demo_imd_create.resp.json': { class: 'authentication', code: 'odoo.AccessError' },
  'err_bad_password_execute_kw.resp.json': { class: 'authentication', code: 'odoo.AccessDenied' },
  'err_bad_service.resp.json': { class: 'permanent', code: 'odoo.unknown-name' },
  'err_invalid_field_domain.resp.json': { class: 'permanent', code: 'odoo.unknown-field' },
  'err_missing_record_write.resp.json': { class: 'permanent', code: 'odoo.MissingError' },
  'err_missing_required.resp.json': { class: 'permanent', code: 'odoo.required-field' },
  'err_unknown_db.resp.json': { class: 'configuration', code: 'odoo.database-missing' },
  'err_unknown_method.resp.json': { class: 'permanent', code: 'odoo.unknown-method' },
  'err_unknown_model.resp.json': { class: 'permanent', code: 'odoo.unknown-model' },
  'err_usererror_unlink_admin_partner.resp.json': { class: 'permanent', code: 'odoo.UserError' },
  'err_validation_recursive_parent.resp.json': { class: 'permanent', code: 'odoo.ValidationError' },
  'err_wrong_arg_type.resp.json': { class: 'permanent', code: 'odoo.ValueError' },
  'imd_create_dup.resp.json': { class: 'permanent', code: 'odoo.ValidationError' },
  'imd_xmlid_to_res_id_private.resp.json': { class: 'permanent', code: 'odoo.private-method' },
  'load_unknown_field.resp.json': { class: 'permanent', code: 'odoo.unknown-field' },
};

/** The ORM call a recorded request made (execute_kw's model, method and first argument). */
function recordedCall(responseName: string): OdooCall {
  const requestName = responseName.replace(/\.resp\.json$/, '.req.json');
  if (!fixtureNames('.req.json').includes(requestName)) return {};
  const request = JSON.parse(fixtureText(requestName)) as { params?: { method?: string; args?: unknown[] } };
  const args = request.params?.args ?? [];
  if (request.params?.method !== 'execute_kw') return {};
  const [model, method, positional] = [args[3], args[4], args[5]];
  if (typeof model !== 'string' || typeof method !== 'string') return {};
  const columns = Array.isArray(positional) ? (positional[0] as unknown) : undefined;
  return {
    model,
    method,
    ...(method === 'load' && Array.isArray(columns) ? { columns: columns as string[] } : {}),
  };
}

describe('classifyOdooError over the recorded errors', () => {
  const errorFixtures = fixtureNames('.resp.json').filter(
    (name) => 'error' in (JSON.parse(fixtureText(name)) as Record<string, unknown>),
  );

  it('has an expectation for every recorded error response', () => {
    expect(errorFixtures).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(errorFixtures)('%s', (name) => {
    const outcome = parseJsonRpcBody(fixtureText(name));
    if (outcome.ok) throw new Error('expected an error');
    const info = classifyOdooError(outcome.name, outcome.message, recordedCall(name));
    expect({ class: info.class, code: info.code }).toEqual(EXPECTED[name]);
    // Odoo's own words stay in the message for the operator, without the traceback.
    expect(info.message).toContain(outcome.message.trim());
    expect(info.message).not.toContain('Traceback');
  });

  it('treats lock and serialization failures as transient', () => {
    for (const name of [
      'psycopg2.errors.SerializationFailure',
      'psycopg2.errors.LockNotAvailable',
      'odoo.exceptions.ConcurrencyError',
    ]) {
      expect(classifyOdooError(name, 'x').class).toBe('transient');
    }
    expect(
      classifyOdooError('psycopg2.OperationalError', 'server closed the connection unexpectedly').class,
    ).toBe('transient');
  });

  it('keeps unknown exception classes permanent with their short name', () => {
    expect(classifyOdooError('odoo.addons.stock.CustomError', 'nope')).toEqual({
      class: 'permanent',
      code: 'odoo.CustomError',
      message: 'nope',
    });
  });
});

/**
 * Real Odoo 17.0's wording (measured against the real server in test/real-odoo/odoo-errors.test.ts),
 * and what the operator reads for it.
 */
describe('classifyOdooError over real Odoo 17 wording', () => {
  const cases: readonly [string, string, string, OdooCall, string, string][] = [
    [
      'an unknown method',
      'builtins.AttributeError',
      "The method 'frobnicate' does not exist on the model 'res.partner'",
      { model: 'res.partner', method: 'frobnicate' },
      'odoo.unknown-method',
      "Odoo model 'res.partner' has no method 'frobnicate'",
    ],
    [
      'an unknown method in the older wording',
      'builtins.AttributeError',
      "The method 'res.partner.frobnicate' does not exist",
      {},
      'odoo.unknown-method',
      "Odoo model 'res.partner' has no method 'frobnicate'",
    ],
    [
      'an unknown field in create or write',
      'builtins.ValueError',
      "Invalid field 'no_such_field' on model 'res.partner'",
      { model: 'res.partner', method: 'create' },
      'odoo.unknown-field',
      "Odoo has no field 'no_such_field' on res.partner",
    ],
    [
      'an unknown column of a load',
      'builtins.KeyError',
      'no_such_field',
      { model: 'res.partner', method: 'load', columns: ['id', 'name', 'no_such_field'] },
      'odoo.unknown-field',
      "Odoo has no field 'no_such_field' on res.partner",
    ],
    [
      'an unknown sub-field of a load line column',
      'builtins.KeyError',
      'nope',
      {
        model: 'account.move',
        method: 'load',
        columns: ['id', 'move_type', 'invoice_line_ids/id', 'invoice_line_ids/nope'],
      },
      'odoo.unknown-field',
      "Odoo has no field 'nope' on the lines in account.move's invoice_line_ids",
    ],
    [
      'an unknown relational column of a load',
      'builtins.KeyError',
      'nope_ids',
      { model: 'account.move', method: 'load', columns: ['id', 'nope_ids/id', 'nope_ids/name'] },
      'odoo.unknown-field',
      "Odoo has no field 'nope_ids' on account.move",
    ],
    [
      "19.0's unknown field in create or write (over /jsonrpc as over JSON-2)",
      'builtins.ValueError',
      "Invalid field 'no_such_field' in 'res.partner'",
      { model: 'res.partner', method: 'create' },
      'odoo.unknown-field',
      "Odoo has no field 'no_such_field' on res.partner",
    ],
    [
      "19.0's unknown field in a read",
      'builtins.ValueError',
      "Invalid field 'no_such_field' on 'res.partner'",
      { model: 'res.partner', method: 'search_read' },
      'odoo.unknown-field',
      "Odoo has no field 'no_such_field' on res.partner",
    ],
    [
      "19.0's unknown field in a search filter",
      'builtins.ValueError',
      "Invalid field res.partner.nope in condition ('nope', '=', 1)",
      { model: 'res.partner', method: 'search_read' },
      'odoo.unknown-field',
      "Odoo has no field 'nope' on res.partner (used in a search filter)",
    ],
    [
      "19.0's unknown column of a load",
      'builtins.ValueError',
      "Invalid field name 'no_such_field'",
      { model: 'res.partner', method: 'load', columns: ['id', 'name', 'no_such_field'] },
      'odoo.unknown-field',
      "Odoo has no field 'no_such_field' on res.partner: check the mapping's target fields",
    ],
    [
      'a right the user lacks',
      'odoo.exceptions.AccessError',
      "You are not allowed to create 'User' (res.users) records.",
      { model: 'res.users', method: 'create' },
      'odoo.AccessError',
      "You are not allowed to create 'User' (res.users) records.",
    ],
    [
      'an unknown model',
      'odoo.exceptions.UserError',
      "Object res.nope doesn't exist",
      { model: 'res.nope', method: 'search' },
      'odoo.unknown-model',
      "Odoo has no model 'res.nope'",
    ],
    [
      'a value outside a selection',
      'builtins.ValueError',
      "Wrong value for res.partner.type: 'nonsense'",
      { model: 'res.partner', method: 'create' },
      'odoo.bad-selection',
      "'nonsense' is not one of the values Odoo allows for res.partner's field 'type'",
    ],
    [
      'a date Odoo cannot parse',
      'builtins.ValueError',
      "time data 'not-a-date' does not match format '%Y-%m-%d'",
      { model: 'res.partner', method: 'create' },
      'odoo.bad-date',
      "'not-a-date' is not a date Odoo accepts: send it as YYYY-MM-DD",
    ],
    [
      'a timestamp in a search filter',
      'psycopg2.errors.InvalidDatetimeFormat',
      'invalid input syntax for type timestamp: "nope"\nLINE 1: ...',
      { model: 'res.partner', method: 'search_read' },
      'odoo.bad-date',
      "'nope' is not a date Odoo accepts: send it as YYYY-MM-DD HH:MM:SS (UTC)",
    ],
    [
      'a required field left empty',
      'odoo.exceptions.ValidationError',
      'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Stock Move (stock.move)\nField: Product (product_id)\n',
      { model: 'stock.move', method: 'create' },
      'odoo.required-field',
      "Odoo needs a value for the required field 'product_id' (Product) on stock.move",
    ],
    [
      "19.0's wording of a required field left empty",
      'odoo.exceptions.ValidationError',
      "The operation cannot be completed: Missing required value for the field 'Product' (product_id).\nModel: 'Stock Move' (stock.move)\n- create/update: a mandatory field is not set\n- delete: another model requires the record being deleted, you can archive it instead\n",
      { model: 'stock.move', method: 'create' },
      'odoo.required-field',
      "Odoo needs a value for the required field 'product_id' (Product) on stock.move",
    ],
    [
      'a missing database',
      'psycopg2.OperationalError',
      'connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "nodb" does not exist\n',
      {},
      'odoo.database-missing',
      "There is no database 'nodb' on this Odoo server",
    ],
    [
      'a concurrent update',
      'psycopg2.errors.SerializationFailure',
      'could not serialize access due to concurrent update\n',
      { model: 'res.partner', method: 'write' },
      'odoo.concurrency',
      'Another transaction changed the same records at the same time',
    ],
  ];

  it.each(cases)('%s', (_what, name, text, call, code, explanation) => {
    const info = classifyOdooError(name, text, call);
    expect(info.code).toBe(code);
    expect(info.message.startsWith(explanation), info.message).toBe(true);
    // Odoo's own text stays available (a load's bare KeyError is quoted as Python prints it).
    expect(info.message).toContain(name === 'builtins.KeyError' ? `KeyError: '${text}'` : text.trim());
  });
});

describe('classifyHttpStatus', () => {
  it.each([
    [401, 'authentication'],
    [403, 'permanent'],
    [404, 'permanent'],
    [408, 'transient'],
    [422, 'permanent'],
    [429, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
  ])('%i → %s', (status, klass) => {
    expect(classifyHttpStatus(status, '')).toMatchObject({
      class: klass,
      code: `http.${status}`,
      message: `HTTP ${status}`,
    });
  });
});

describe('classifyNetworkError', () => {
  const withCode = (code: string, cause = false): Error => {
    const inner = Object.assign(new Error('inner'), { code });
    return cause ? new Error('outer', { cause: inner }) : inner;
  };

  it('finds the code on the error or in its causes', () => {
    expect(classifyNetworkError(withCode('ECONNREFUSED', true))).toMatchObject({
      class: 'transient',
      code: 'net.ECONNREFUSED',
    });
    expect(classifyNetworkError(withCode('ECONNRESET'))).toMatchObject({
      class: 'transient',
      code: 'net.ECONNRESET',
    });
  });

  it('treats certificate problems as configuration', () => {
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      expect(classifyNetworkError(withCode(code, true))).toMatchObject({
        class: 'configuration',
        code: `tls.${code}`,
      });
    }
  });

  it('separates timeouts from cancellations', () => {
    expect(classifyNetworkError(new DOMException('t', 'TimeoutError')).code).toBe('net.timeout');
    expect(classifyNetworkError(withCode('UND_ERR_HEADERS_TIMEOUT')).code).toBe('net.timeout');
    expect(classifyNetworkError(new DOMException('a', 'AbortError')).code).toBe('net.cancelled');
    expect(classifyNetworkError('weird')).toMatchObject({ class: 'transient', code: 'net.error' });
  });

  it('names the address and the time limit an operator can act on', () => {
    const where = { origin: 'http://127.0.0.1:8069', timeoutMs: 2000 };
    expect(classifyNetworkError(withCode('ECONNREFUSED', true), where).message).toBe(
      'Connection refused at http://127.0.0.1:8069: nothing listens there. Is Odoo running?',
    );
    expect(classifyNetworkError(new DOMException('t', 'TimeoutError'), where).message).toContain(
      'Odoo at http://127.0.0.1:8069 did not answer within 2 s',
    );
  });
});
