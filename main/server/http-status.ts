import type { ErrorCode } from '../../shared/contract/result.js';

/** HTTP status for a failed Result; the body is always the Result itself. */
export const HTTP_STATUS_FOR_ERROR: Readonly<Record<ErrorCode, number>> = {
  'invalid-input': 400,
  unauthenticated: 401,
  'session-locked': 423,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'setup-required': 409,
  'keychain-unavailable': 503,
  'csrf-failed': 403,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
};
