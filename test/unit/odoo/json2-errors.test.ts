import { describe, expect, it } from 'vitest';
import { json2Result, type Json2Call } from '../../../main/connectors/odoo/json2-wire.js';
import { ConnectorError, type ConnectorErrorInfo } from '../../../main/connectors/types.js';

/**
 * JSON-2 error answers as real Odoo 19.0 gives them (status, content type, body as recorded in the
 * real-Odoo 19 notes; the same cases run against the server in test/real-odoo/odoo19-json2-errors.test.ts).
 */

const TRACEBACK =
  'Traceback (most recent call last):\n  File "/srv/odoo/odoo/http.py", line 2273, in _serve_db\n    return service_model.retrying(serve_func, env=self.env)\nValueError: secret-looking internals';

function odooError(name: string, message: string): string {
  return JSON.stringify({ name, message, arguments: [message], context: {}, debug: TRACEBACK });
}

function answerOf(status: number, text: string, contentType = 'application/json; charset=utf-8') {
  return { status, contentType, text };
}

function thrown(
  status: number,
  text: string,
  call: Json2Call = {},
  contentType?: string,
): ConnectorErrorInfo {
  try {
    json2Result(answerOf(status, text, contentType), call);
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    // Neither the server's traceback nor an HTML page ever becomes part of a message.
    expect(error.message).not.toMatch(/Traceback|File "|internals|<html|<!doctype|<title/i);
    return error.toInfo();
  }
  throw new Error('expected a ConnectorError');
}

const PARTNER_READ: Json2Call = { model: 'res.partner', method: 'search_read', database: 'clinic' };
const PARTNER_LOAD: Json2Call = {
  model: 'res.partner',
  method: 'load',
  database: 'clinic',
  columns: ['id', 'name', 'no_such_field'],
};

describe('JSON-2: a 500 is classed by the exception name before the status', () => {
  it('an unknown field in `fields` is a permanent mapping error, not a retry', () => {
    const message = "Invalid field 'no_such_field' on 'res.partner'";
    expect(thrown(500, odooError('builtins.ValueError', message), PARTNER_READ)).toEqual({
      class: 'permanent',
      code: 'odoo.unknown-field',
      message: `Odoo has no field 'no_such_field' on res.partner. Odoo said: ${message}`,
    });
  });

  it('an unknown field in a domain', () => {
    const message = "Invalid field res.partner.no_such_field in condition ('no_such_field', '=', 1)";
    expect(thrown(500, odooError('builtins.ValueError', message), PARTNER_READ)).toEqual({
      class: 'permanent',
      code: 'odoo.unknown-field',
      message: `Odoo has no field 'no_such_field' on res.partner (used in a search filter). Odoo said: ${message}`,
    });
  });

  it('an unknown load column, named with the columns of the call', () => {
    expect(
      thrown(500, odooError('builtins.ValueError', "Invalid field name 'no_such_field'"), PARTNER_LOAD),
    ).toEqual({
      class: 'permanent',
      code: 'odoo.unknown-field',
      message:
        "Odoo has no field 'no_such_field' on res.partner: check the mapping's target fields. Odoo said: Invalid field name 'no_such_field'",
    });
    const lines: Json2Call = {
      model: 'account.move',
      method: 'load',
      columns: ['id', 'invoice_line_ids/id', 'invoice_line_ids/nope'],
    };
    expect(thrown(500, odooError('builtins.ValueError', "Invalid field name 'nope'"), lines)).toMatchObject({
      code: 'odoo.unknown-field',
      message: expect.stringMatching(
        /^Odoo has no field 'nope' on the lines in account\.move's invoice_line_ids: /,
      ) as unknown,
    });
  });

  it('other Python errors are permanent with their name; lock conflicts and outages stay transient', () => {
    const typeError = "BaseModel._read_format() got an unexpected keyword argument 'bogus'";
    expect(thrown(500, odooError('builtins.TypeError', typeError), PARTNER_READ)).toEqual({
      class: 'permanent',
      code: 'odoo.TypeError',
      message: typeError,
    });
    expect(
      thrown(500, odooError('psycopg2.errors.SerializationFailure', 'could not serialize access')),
    ).toMatchObject({ class: 'transient', code: 'odoo.concurrency' });
    expect(thrown(409, odooError('odoo.exceptions.LockError', 'Cannot lock the records'))).toMatchObject({
      class: 'transient',
      code: 'odoo.concurrency',
    });
    expect(thrown(503, odooError('werkzeug.exceptions.ServiceUnavailable', 'Service Unavailable'))).toEqual({
      class: 'transient',
      code: 'http.503',
      message: 'Service Unavailable',
    });
  });

  it('a body without a name falls back to the status (a proxy or an outage)', () => {
    expect(thrown(500, '"internal server error"')).toEqual({
      class: 'transient',
      code: 'http.500',
      message: 'internal server error',
    });
    expect(thrown(502, '<html><body>Bad Gateway</body></html>', {}, 'text/html')).toMatchObject({
      class: 'transient',
      code: 'http.502',
    });
  });
});

describe('JSON-2: 4xx answers with a JSON body', () => {
  it('401: a wrong or missing key is an authentication failure', () => {
    expect(thrown(401, odooError('werkzeug.exceptions.Unauthorized', 'Invalid apikey'))).toEqual({
      class: 'authentication',
      code: 'odoo.api-key-rejected',
      message: 'Odoo refused the stored API key (wrong, expired or revoked). Odoo said: Invalid apikey',
    });
  });

  it('403: an access error keeps its class and code from JSON-RPC, with Odoo’s message', () => {
    const message = "You are not allowed to access 'Model Data' (ir.model.data) records.";
    expect(thrown(403, odooError('odoo.exceptions.AccessError', message))).toEqual({
      class: 'authentication',
      code: 'odoo.AccessError',
      message,
    });
    const private_ =
      "Private methods (such as 'res.partner._compute_display_name') cannot be called remotely.";
    expect(thrown(403, odooError('odoo.exceptions.AccessError', private_))).toMatchObject({
      class: 'permanent',
      code: 'odoo.private-method',
    });
  });

  it('404: an unknown model, an unknown method, a missing record', () => {
    expect(
      thrown(404, odooError('werkzeug.exceptions.NotFound', "the model 'no.such.model' does not exist")),
    ).toMatchObject({
      class: 'permanent',
      code: 'odoo.unknown-model',
      message: expect.stringMatching(/^Odoo has no model 'no\.such\.model': /) as unknown,
    });
    expect(
      thrown(
        404,
        odooError('werkzeug.exceptions.NotFound', "The method 'res.partner.no_such_method' does not exist"),
      ),
    ).toEqual({
      class: 'permanent',
      code: 'odoo.unknown-method',
      message:
        "Odoo model 'res.partner' has no method 'no_such_method'. Odoo said: The method 'res.partner.no_such_method' does not exist",
    });
    expect(
      thrown(404, odooError('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.')),
    ).toMatchObject({ class: 'permanent', code: 'odoo.MissingError' });
  });

  it('422: UserError and ValidationError are permanent with Odoo’s message', () => {
    const message = 'The operation cannot be completed: Contacts require a name';
    expect(thrown(422, odooError('odoo.exceptions.ValidationError', message))).toEqual({
      class: 'permanent',
      code: 'odoo.ValidationError',
      message,
    });
    expect(thrown(422, odooError('odoo.exceptions.UserError', 'You cannot delete it.'))).toEqual({
      class: 'permanent',
      code: 'odoo.UserError',
      message: 'You cannot delete it.',
    });
  });
});

describe('JSON-2: answers in HTML (Odoo routed them before JSON-2 did)', () => {
  const WRONG_DB_PAGE =
    '<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n';
  const CONTENT_TYPE_PAGE =
    '<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n<h1>Unsupported Media Type</h1>\n';

  it('404 page: the database header names no database of this server', () => {
    expect(thrown(404, WRONG_DB_PAGE, { database: 'clinic' }, 'text/html; charset=utf-8')).toMatchObject({
      class: 'configuration',
      code: 'odoo.database-missing',
      message: expect.stringMatching(/^There is no database 'clinic' on this Odoo server/) as unknown,
    });
  });

  it('415 page: the call arrived without its JSON content type', () => {
    expect(thrown(415, CONTENT_TYPE_PAGE, { database: 'clinic' }, 'text/html; charset=utf-8')).toMatchObject({
      class: 'configuration',
      code: 'odoo.json2-content-type',
    });
  });
});
