import type { ConnectorErrorInfo, FailureClass } from '../types.js';
import {
  badDate,
  invalidField,
  loadColumnOf,
  mandatoryFieldMissing,
  missingDatabase,
  unknownLoadColumnName,
  unknownMethod,
  unknownModel,
  wrongSelectionValue,
} from './odoo-error-wording.js';

/**
 * Pure mapping from what Odoo (or the network under it) said to how the engine should react:
 * transient failures are retried with backoff, permanent ones become exceptions for a person,
 * authentication opens the connection's breaker, configuration needs the connection settings fixed.
 * Where Odoo's text is terse or technical (`no_such_field`, an AttributeError), the message says
 * what is wrong in an operator's terms and ends with Odoo's own words (minus the Python traceback),
 * which stay the evidence to search for or to send to the Odoo administrator.
 */

/** Exception names (JSON-RPC `error.data.name`) whose cause goes away by itself on a later attempt. */
const TRANSIENT_NAMES = new Set([
  'psycopg2.errors.SerializationFailure',
  'psycopg2.errors.LockNotAvailable',
  'psycopg2.errors.DeadlockDetected',
  'psycopg2.extensions.TransactionRollbackError',
  'psycopg2.InterfaceError',
  'odoo.exceptions.ConcurrencyError',
  'odoo.service.model.RetryableJobError',
]);

const AUTHENTICATION_NAMES = new Set(['odoo.exceptions.AccessDenied', 'odoo.http.SessionExpiredException']);

/** The call an error answered, when known: it turns a bare `KeyError: 'x'` into "no field x on y". */
export interface OdooCall {
  readonly model?: string;
  readonly method?: string;
  /** The columns of a `load` call (its first argument). */
  readonly columns?: readonly string[];
}

function info(klass: FailureClass, code: string, message: string): ConnectorErrorInfo {
  return { class: klass, code, message };
}

function shortName(name: string): string {
  const last = name.split('.').pop();
  return last !== undefined && last !== '' ? last : 'error';
}

/** An explanation followed by Odoo's own text, so neither is lost. */
function explained(explanation: string, odooText: string): string {
  return `${explanation}. Odoo said: ${odooText}`;
}

function unknownFieldInfo(text: string, call: OdooCall): ConnectorErrorInfo | null {
  const found = invalidField(text, call.model ?? null);
  if (found === null) return null;
  const on = found.model ?? call.model ?? 'this model';
  const where = found.inDomain ? ' (used in a search filter)' : '';
  return info(
    'permanent',
    'odoo.unknown-field',
    explained(`Odoo has no field '${found.field}' on ${on}${where}`, text),
  );
}

/**
 * `load` reports a column naming no field by its name only (17.0 a bare KeyError, 19.0 `Invalid
 * field name 'x'`): the columns say which it was.
 */
function unknownLoadColumn(text: string, call: OdooCall, odooText?: string): ConnectorErrorInfo {
  const name = text.replace(/^'(.*)'$/, '$1');
  const model = call.model ?? 'the target model';
  const column = loadColumnOf(name, call.columns ?? []);
  const explanation =
    column === null
      ? `Odoo has no field '${name}' on ${model} or on its lines`
      : column.parent === null
        ? `Odoo has no field '${name}' on ${model}`
        : `Odoo has no field '${name}' on the lines in ${model}'s ${column.parent}`;
  return info(
    'permanent',
    'odoo.unknown-field',
    explained(`${explanation}: check the mapping's target fields`, odooText ?? `KeyError: '${name}'`),
  );
}

function valueErrorInfo(text: string, call: OdooCall): ConnectorErrorInfo | null {
  const loadColumn = call.method === 'load' ? unknownLoadColumnName(text) : null;
  if (loadColumn !== null) return unknownLoadColumn(loadColumn, call, text);
  const field = unknownFieldInfo(text, call);
  if (field !== null) return field;
  const selection = wrongSelectionValue(text);
  if (selection !== null) {
    return info(
      'permanent',
      'odoo.bad-selection',
      explained(
        `${selection.value} is not one of the values Odoo allows for ${selection.model}'s field '${selection.field}': map it to one of the field's keys`,
        text,
      ),
    );
  }
  return badDateInfo(text);
}

function badDateInfo(text: string): ConnectorErrorInfo | null {
  const date = badDate(text);
  if (date === null) return null;
  const format = date.withTime ? 'YYYY-MM-DD HH:MM:SS (UTC)' : 'YYYY-MM-DD';
  return info(
    'permanent',
    'odoo.bad-date',
    explained(`'${date.value}' is not a date Odoo accepts: send it as ${format}`, text),
  );
}

function validationInfo(text: string): ConnectorErrorInfo {
  const missing = mandatoryFieldMissing(text);
  if (missing === null) return info('permanent', 'odoo.ValidationError', text);
  return info(
    'permanent',
    'odoo.required-field',
    explained(
      `Odoo needs a value for the required field '${missing.field}' (${missing.fieldLabel}) on ${missing.model}`,
      text,
    ),
  );
}

function unknownModelInfo(model: string, text: string): ConnectorErrorInfo {
  return info(
    'permanent',
    'odoo.unknown-model',
    explained(
      `Odoo has no model '${model}': the app that provides it is not installed on this database, or the name is misspelled`,
      text,
    ),
  );
}

/**
 * A right the Odoo user lacks (a model's access rights or a record rule) is an authorization problem
 * of the connection's user, not of the record: retrying cannot help and neither can editing the
 * data; the Odoo administrator must grant a group. Odoo's own text names the right and the groups
 * that have it. The one AccessError that is no missing right is a private method called remotely.
 */
function accessErrorInfo(text: string): ConnectorErrorInfo {
  if (/^Private methods \(such as /.test(text)) {
    return info(
      'permanent',
      'odoo.private-method',
      explained('Odoo lets no one call a private method (its name starts with _) from outside', text),
    );
  }
  return info('authentication', 'odoo.AccessError', text);
}

/** Classify a JSON-RPC error by `error.data.name`, its message and, when known, the call it answered. */
export function classifyOdooError(name: string, message: string, call: OdooCall = {}): ConnectorErrorInfo {
  const text = message.trim();
  if (AUTHENTICATION_NAMES.has(name)) {
    const explanation =
      name === 'odoo.exceptions.AccessDenied'
        ? 'Odoo refused the login with the stored API key or password (wrong, expired or revoked)'
        : 'The Odoo session expired';
    return info('authentication', `odoo.${shortName(name)}`, explained(explanation, text));
  }
  if (TRANSIENT_NAMES.has(name)) {
    return info(
      'transient',
      'odoo.concurrency',
      explained(
        'Another transaction changed the same records at the same time; sending again resolves it',
        text,
      ),
    );
  }
  if (name === 'psycopg2.OperationalError') {
    // Odoo opens the database named in the call: a missing one is a settings problem, anything else
    // (PostgreSQL restarting, too many connections) passes.
    const database = missingDatabase(text);
    return database !== null
      ? info(
          'configuration',
          'odoo.database-missing',
          explained(`There is no database '${database}' on this Odoo server: check the database name`, text),
        )
      : info(
          'transient',
          'odoo.database-unavailable',
          explained('Odoo cannot use its PostgreSQL database right now', text),
        );
  }
  if (name === 'odoo.exceptions.AccessError') return accessErrorInfo(text);
  if (name === 'odoo.exceptions.UserError') {
    const model = unknownModel(text);
    if (model !== null) return unknownModelInfo(model, text);
  }
  if (name === 'builtins.AttributeError') {
    const missing = unknownMethod(text);
    if (missing !== null) {
      const model = missing.model ?? call.model ?? 'the model';
      return info(
        'permanent',
        'odoo.unknown-method',
        explained(`Odoo model '${model}' has no method '${missing.method}'`, text),
      );
    }
  }
  if (name === 'builtins.ValueError') {
    const known = valueErrorInfo(text, call);
    if (known !== null) return known;
  }
  if (name === 'psycopg2.errors.InvalidDatetimeFormat') {
    const known = badDateInfo(text);
    if (known !== null) return known;
  }
  if (name === 'odoo.exceptions.ValidationError') return validationInfo(text);
  if (name === 'builtins.KeyError') {
    if (call.method === 'load') return unknownLoadColumn(text, call);
    const name = text.replace(/^'(.*)'$/, '$1');
    return info(
      'permanent',
      'odoo.unknown-name',
      explained(`Odoo does not know the name '${name}'`, `KeyError: '${name}'`),
    );
  }
  return info('permanent', `odoo.${shortName(name)}`, text);
}

/**
 * Classify a JSON-2 error body `{name, message, …}` (Odoo 19): by the exception's name first, since
 * Odoo answers 500 for every plain Python error, a misspelt field included, and only a name tells
 * a bad request from a server fault. `status` decides where the name alone does not.
 */
export function classifyJson2Error(
  status: number,
  name: string,
  message: string,
  call: OdooCall = {},
): ConnectorErrorInfo {
  const text = message.trim();
  if (status === 401) {
    return info(
      'authentication',
      'odoo.api-key-rejected',
      explained('Odoo refused the stored API key (wrong, expired or revoked)', text),
    );
  }
  if (name === 'werkzeug.exceptions.NotFound') {
    const model = unknownModel(text);
    if (model !== null) return unknownModelInfo(model, text);
    const method = unknownMethod(text);
    if (method !== null) return classifyOdooError('builtins.AttributeError', text, call);
  }
  if (status === 409) {
    return info(
      'transient',
      'odoo.concurrency',
      explained('Another transaction holds the same records; sending again resolves it', text),
    );
  }
  // An HTTP-level 5xx (503 while Odoo restarts, …) is an outage, not an answer about the request.
  if (status >= 500 && name.startsWith('werkzeug.exceptions.'))
    return info('transient', `http.${status}`, text);
  // Everything else reads as over JSON-RPC: AccessError, UserError, ValidationError, MissingError,
  // lock conflicts (transient) keep their 17 classes and codes whatever the status says.
  return classifyOdooError(name, text, call);
}

/** Classify a non-200 HTTP answer (JSON-2 uses real status codes; JSON-RPC only for proxies/outages). */
export function classifyHttpStatus(status: number, message: string): ConnectorErrorInfo {
  const text = message.trim() === '' ? `HTTP ${status}` : message.trim();
  if (status === 401) return info('authentication', 'http.401', text);
  if (status === 408 || status === 425 || status === 429) return info('transient', `http.${status}`, text);
  if (status >= 500) return info('transient', `http.${status}`, text);
  return info('permanent', `http.${status}`, text);
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function errorCode(error: unknown): string | null {
  let current: unknown = error;
  // undici wraps socket errors; the useful code can sit one or two `cause`s down.
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** Where a network error happened, so its message can name the address and the time limit. */
export interface NetworkContext {
  readonly origin?: string;
  readonly timeoutMs?: number;
}

/** Classify an error thrown below HTTP (DNS, TCP, TLS, timeouts, cancellation). */
export function classifyNetworkError(error: unknown, where: NetworkContext = {}): ConnectorErrorInfo {
  const code = errorCode(error);
  const name = error instanceof Error ? error.name : '';
  const at = where.origin === undefined ? '' : ` at ${where.origin}`;
  const within = where.timeoutMs === undefined ? '' : ` within ${formatMs(where.timeoutMs)}`;
  if (code !== null && TLS_CODES.has(code)) {
    return info('configuration', `tls.${code}`, `TLS verification failed (${code})`);
  }
  if (name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return info(
      'transient',
      'net.timeout',
      `Odoo${at} did not answer${within} (the connection's timeout): it is hung, overloaded or busy with a long request`,
    );
  }
  if (code === 'UND_ERR_BODY_TIMEOUT')
    return info('transient', 'net.timeout', `Odoo${at} stopped sending its answer${within}`);
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED')
    return info('transient', 'net.cancelled', 'The call was cancelled');
  if (code === 'ECONNREFUSED') {
    return info(
      'transient',
      'net.ECONNREFUSED',
      `Connection refused${at}: nothing listens there. Is Odoo running?`,
    );
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return info(
      'transient',
      `net.${code}`,
      `Odoo${at} closed the connection before answering (${code}): it stopped or restarted`,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return info('transient', `net.${code}`, 'The host name does not resolve (DNS)');
  }
  if (code !== null) return info('transient', `net.${code}`, `Network error${at} (${code})`);
  return info('transient', 'net.error', error instanceof Error ? error.message : 'Network error');
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
