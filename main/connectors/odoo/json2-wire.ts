import { ConnectorError } from '../types.js';
import { classifyHttpStatus } from './failure-classifier.js';
import type { HttpAnswer } from './http-transport.js';

/**
 * Odoo 19's JSON-2 API: POST /json/2/<model>/<method> with `Authorization: bearer <api key>`, a JSON
 * object of named arguments (plus the special `ids` and `context`) and the method's return value as
 * the body. Errors use real HTTP status codes with the message as a JSON string.
 */

export function json2Path(model: string, method: string): string {
  return `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`;
}

export function json2Headers(apiKey: string, database: string): Record<string, string> {
  return { authorization: `bearer ${apiKey}`, 'x-odoo-database': database };
}

function errorMessage(text: string): string {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'string') return json;
    if (
      typeof json === 'object' &&
      json !== null &&
      typeof (json as { message?: unknown }).message === 'string'
    ) {
      return (json as { message: string }).message;
    }
  } catch {
    // Not JSON (an HTML error page from a proxy or an older Odoo): the status code says enough.
  }
  return '';
}

export function json2Result(answer: HttpAnswer): unknown {
  if (answer.status === 200) {
    try {
      return JSON.parse(answer.text) as unknown;
    } catch {
      throw new ConnectorError('permanent', 'odoo.not-json', 'The server did not answer with JSON');
    }
  }
  const message =
    answer.status === 404 && !answer.contentType.includes('json')
      ? 'No JSON-2 endpoint at /json/2 (it needs Odoo 19 or later)'
      : errorMessage(answer.text);
  const info = classifyHttpStatus(answer.status, message);
  throw new ConnectorError(info.class, info.code, info.message);
}
