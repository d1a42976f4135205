import type { ConnectorErrorInfo, FailureClass } from '../types.js';

/**
 * Pure mapping from what Odoo (or the network under it) said to how the engine should react:
 * transient failures are retried with backoff, permanent ones become exceptions for a person,
 * authentication opens the connection's breaker, configuration needs the connection settings fixed.
 * Odoo's own message is kept verbatim (minus the Python traceback) because it is what the operator
 * can act on.
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

function info(klass: FailureClass, code: string, message: string): ConnectorErrorInfo {
  return { class: klass, code, message };
}

function shortName(name: string): string {
  const last = name.split('.').pop();
  return last !== undefined && last !== '' ? last : 'error';
}

/** Classify a JSON-RPC error by `error.data.name` (and, for a few generic names, its message). */
export function classifyOdooError(name: string, message: string): ConnectorErrorInfo {
  const text = message.trim();
  if (AUTHENTICATION_NAMES.has(name)) return info('authentication', `odoo.${shortName(name)}`, text);
  if (TRANSIENT_NAMES.has(name)) return info('transient', 'odoo.concurrency', text);
  if (name === 'psycopg2.OperationalError') {
    // Odoo opens the database named in the call: a missing one is a settings problem, anything else
    // (PostgreSQL restarting, too many connections) passes.
    return /database ".*" does not exist/.test(text)
      ? info('configuration', 'odoo.database-missing', text)
      : info('transient', 'odoo.database-unavailable', text);
  }
  if (name === 'odoo.exceptions.UserError' && /^Object \S+ doesn't exist$/.test(text)) {
    return info('permanent', 'odoo.unknown-model', text);
  }
  if (name === 'builtins.AttributeError' && /^The method '.*' does not exist$/.test(text)) {
    return info('permanent', 'odoo.unknown-method', text);
  }
  if (name === 'builtins.ValueError' && text.startsWith('Invalid field ')) {
    return info('permanent', 'odoo.unknown-field', text);
  }
  if (name === 'builtins.KeyError') return info('permanent', 'odoo.unknown-name', text);
  return info('permanent', `odoo.${shortName(name)}`, text);
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

/** Classify an error thrown below HTTP (DNS, TCP, TLS, timeouts, cancellation). */
export function classifyNetworkError(error: unknown): ConnectorErrorInfo {
  const code = errorCode(error);
  const name = error instanceof Error ? error.name : '';
  if (code !== null && TLS_CODES.has(code)) {
    return info('configuration', `tls.${code}`, `TLS verification failed (${code})`);
  }
  if (name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return info('transient', 'net.timeout', 'Odoo did not answer in time');
  }
  if (code === 'UND_ERR_BODY_TIMEOUT')
    return info('transient', 'net.timeout', 'Odoo stopped sending its answer');
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED')
    return info('transient', 'net.cancelled', 'The call was cancelled');
  if (code === 'ECONNREFUSED')
    return info('transient', 'net.ECONNREFUSED', 'Connection refused: nothing listens at that address');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return info('transient', `net.${code}`, 'The host name does not resolve (DNS)');
  }
  if (code !== null) return info('transient', `net.${code}`, `Network error (${code})`);
  return info('transient', 'net.error', error instanceof Error ? error.message : 'Network error');
}
