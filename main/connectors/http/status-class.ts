import type { FailureClass } from '../types.js';

/**
 * How an HTTP status should be handled. 408/425/429 and 5xx are worth retrying; 401/403 need a new
 * credential; 404/405/410 mean the URL or resource type is wrong; any other 4xx is a problem with the
 * record itself and retrying it unchanged cannot help.
 */
export function classifyHttpStatus(status: number): FailureClass {
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'transient';
  if (status === 401 || status === 403) return 'authentication';
  if (status === 404 || status === 405 || status === 410) return 'configuration';
  return 'permanent';
}
