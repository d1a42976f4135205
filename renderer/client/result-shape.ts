import { isErrorCode, type ApiError, type Result } from '../../shared/contract/result.js';

/**
 * The server always answers with a Result, whatever the HTTP status. Anything else (a proxy's HTML
 * page, a truncated body, a crashed server) is turned into an 'unavailable' error here, so pages only
 * ever branch on Result codes. The body itself is never copied into the message: it may be huge, and
 * it is not written for operators.
 */
export function unavailable(message: string): { readonly ok: false; readonly error: ApiError } {
  return { ok: false, error: { code: 'unavailable', message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asResult(body: unknown, httpStatus: number): Result<unknown> {
  if (isRecord(body)) {
    if (body.ok === true && 'value' in body) return { ok: true, value: body.value };
    const error = body.error;
    if (body.ok === false && isRecord(error) && typeof error.message === 'string') {
      // An unknown code means a server newer than this console: keep its message, treat it as a
      // failure the operator can retry rather than guessing a meaning.
      const code = isErrorCode(error.code) ? error.code : 'unavailable';
      return { ok: false, error: { code, message: error.message } };
    }
  }
  return unavailable(
    `The console server sent an answer this console cannot read (HTTP ${httpStatus}). ` +
      'A proxy or an older server may be in the way; reload the page and try again.',
  );
}

/** Parses a response body text as a Result; never throws. */
export function parseResultText(text: string, httpStatus: number): Result<unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return asResult(undefined, httpStatus);
  }
  return asResult(body, httpStatus);
}
