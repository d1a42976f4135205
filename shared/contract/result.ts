/**
 * Every contract operation answers with a Result. Errors carry a stable code the client can branch on
 * and a message written for the operator; never a stack trace or a secret.
 */
export const ERROR_CODES = [
  'invalid-input',
  'unauthenticated',
  'session-locked',
  'forbidden',
  'not-found',
  'conflict',
  'setup-required',
  'keychain-unavailable',
  'csrf-failed',
  'rate-limited',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** Thrown inside handlers to end a call with a specific, operator-readable error. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
