/**
 * Server-side exceptions as Odoo raises them, and the two wire shapes they take: JSON-RPC (HTTP 200
 * with `error.data.name`, see test/fixtures/odoo17/err_*.resp.json) and JSON-2 (a real status code
 * and the message as a JSON string).
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

export function jsonRpcError(id: unknown, error: OdooServerError): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: 200,
      message: 'Odoo Server Error',
      data: {
        name: error.pythonName,
        debug: `Traceback (most recent call last):\n  ... (frames removed)\n${tracebackTail(error)}`,
        message: error.message,
        arguments: [error.message],
        context: {},
      },
    },
  };
}

/** JSON-2 status per exception class (Odoo's `http_code` on UserError and its subclasses). */
export function json2Status(error: OdooServerError): number {
  switch (error.pythonName) {
    case 'odoo.exceptions.AccessDenied':
      return 401;
    case 'odoo.exceptions.AccessError':
      return 403;
    case 'odoo.exceptions.MissingError':
      return 404;
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.ValidationError':
    case 'builtins.TypeError':
      return 422;
    default:
      return 500;
  }
}

export function json2Message(error: OdooServerError): string {
  return json2Status(error) === 500 ? 'internal server error' : error.message;
}
