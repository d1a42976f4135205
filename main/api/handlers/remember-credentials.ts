import type { ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import type { ConnectionCredentialsRepo } from '../../repositories/connection-credentials-repo.js';

/**
 * Keeps what a Test connection learned about the stored credentials: the key's expiry (fact
 * `keyExpiresAt`, from Odoo over JSON-2) and, when the login passed, that an earlier refusal no longer
 * holds (scheduled runs go again). Answers whether anything was recorded, so the console can refresh.
 */
export function rememberCredentials(
  repo: ConnectionCredentialsRepo,
  connectionId: string,
  result: ConnectionTestResult,
  now: Date = new Date(),
): boolean {
  let changed = false;
  const expiresAt = result.facts.keyExpiresAt;
  if (expiresAt !== undefined) {
    repo.recordKeyCheck(connectionId, {
      expiresAt,
      name: result.facts.keyName ?? null,
      checkedAt: now.toISOString(),
    });
    changed = true;
  }
  const status = (id: string) => result.checks.find((check) => check.id === id)?.status;
  const loggedIn = status('credentials') === 'passed' && status('api-key') !== 'failed';
  if (loggedIn && repo.clearRefusal(connectionId)) changed = true;
  return changed;
}
