/**
 * Server-side exceptions as Odoo raises them, and the two wire shapes they take: JSON-RPC (HTTP 200
 * with `error.data.name`, see test/fixtures/odoo17/err_*.resp.json) and Odoo 19's JSON-2 (a real
 * status code and `{name, message, arguments, context, debug}`, see json2-route.ts).
 */

export class OdooServerError extends Error {
  constructor(
    /** The Python class path Odoo reports, e.g. 'odoo.exceptions.ValidationError'. */
    readonly pythonName: string,
    message: string,
    /** The repr Python prints in the traceback's last line, when it differs from the message (KeyError). */
    readonly reprArgument?: string,
    /**
     * Set for errors PostgreSQL raises (constraints, NOT NULL, serialization): how `load` words it
     * in a row message, and the keys it adds to that message (e.g. the field of a NOT NULL).
     */
    readonly loadMessage?: string,
    readonly loadExtra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'OdooServerError';
  }
}

export const userError = (message: string): OdooServerError =>
  new OdooServerError('odoo.exceptions.UserError', message);
export const validationError = (message: string): OdooServerError =>
  new OdooServerError('odoo.exceptions.ValidationError', message);
export const accessError = (message: string): OdooServerError =>
  new OdooServerError('odoo.exceptions.AccessError', message);
export const missingError = (message: string): OdooServerError =>
  new OdooServerError('odoo.exceptions.MissingError', message);
export const accessDenied = (): OdooServerError =>
  new OdooServerError('odoo.exceptions.AccessDenied', 'Access Denied');
export const valueError = (message: string): OdooServerError =>
  new OdooServerError('builtins.ValueError', message);
export const typeError = (message: string): OdooServerError =>
  new OdooServerError('builtins.TypeError', message);
/** PostgreSQL's answer to a row another transaction changed first (REPEATABLE READ). */
export const serializationFailure = (): OdooServerError => {
  const message = 'could not serialize access due to concurrent update\n';
  return new OdooServerError('psycopg2.errors.SerializationFailure', message, undefined, message);
};
export const keyError = (key: string): OdooServerError =>
  new OdooServerError('builtins.KeyError', key, `'${key}'`);

/** What the traceback's last line looks like once frames are cut (as in the recorded fixtures). */
function tracebackTail(error: OdooServerError): string {
  const shown = error.pythonName.startsWith('builtins.')
    ? error.pythonName.slice('builtins.'.length)
    : error.pythonName;
  const line = `${shown}: ${error.reprArgument ?? error.message}`;
  const lines = line.split('\n').filter((text) => text.trim() !== '');
  return lines[lines.length - 1] ?? line;
}

function fakeTraceback(error: OdooServerError): string {
  return `Traceback (most recent call last):\n  ... (frames removed)\n${tracebackTail(error)}`;
}

/** Odoo 17 puts code 200 in the JSON-RPC error; 19 puts 0. */
export function jsonRpcError(
  id: unknown,
  error: OdooServerError,
  series: '17.0' | '19.0' = '17.0',
): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: series === '17.0' ? 200 : 0,
      message: 'Odoo Server Error',
      data: {
        name: error.pythonName,
        debug: fakeTraceback(error),
        message: error.message,
        arguments: [error.message],
        context: {},
      },
    },
  };
}

/**
 * A werkzeug HTTP exception raised by Odoo 19's JSON-2 route itself (unknown model or method, a
 * bad signature, an unreadable body, no key): JSON-2 answers its own code, and `arguments` holds
 * the description and the code.
 */
export class WerkzeugError extends OdooServerError {
  constructor(
    readonly status: number,
    className: string,
    message: string,
  ) {
    super(`werkzeug.exceptions.${className}`, message);
  }
}

/**
 * JSON-2 status per exception class: `http_status` of UserError and its subclasses (odoo/exceptions.py
 * of 19.0), a werkzeug exception's own code, and 500 for anything else (plain Python errors such as
 * the ValueError of an unknown field, psycopg errors).
 */
export function json2Status(error: OdooServerError): number {
  if (error instanceof WerkzeugError) return error.status;
  switch (error.pythonName) {
    case 'odoo.exceptions.AccessDenied':
    case 'odoo.exceptions.AccessError':
      return 403;
    case 'odoo.exceptions.MissingError':
      return 404;
    case 'odoo.exceptions.LockError':
      return 409;
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.ValidationError':
      return 422;
    default:
      return 500;
  }
}

/** The JSON-2 error body (Json2Dispatcher.handle_error): never the JSON-RPC envelope. */
export function json2Body(error: OdooServerError): Record<string, unknown> {
  return {
    name: error.pythonName,
    message: error.message,
    arguments: error instanceof WerkzeugError ? [error.message, error.status] : [error.message],
    context: {},
    debug: fakeTraceback(error),
  };
}
