import type { SessionStatus } from '../../../shared/domain/operator.js';
import type { Session } from '../../auth/session-registry.js';
import type { CallContext } from '../call-context.js';
import type { Services } from '../services.js';

/**
 * The session as its console should see it. The CSRF token goes only to browser transports: a page
 * holds it in script memory only, so a reload or a second tab gets it again from session.status.
 */
export function sessionStatus(
  services: Services,
  session: Session | null,
  context: CallContext,
): SessionStatus {
  const idleLockMinutes = Math.round(services.sessions.idleLockMs / 60_000);
  if (services.operators.count() === 0) return { state: 'setup-required', operator: null, idleLockMinutes };
  const lookup = services.sessions.lookup(session?.id ?? null);
  if (lookup.kind === 'none') return { state: 'signed-out', operator: null, idleLockMinutes };
  const operator = services.operators.get(lookup.session.username);
  if (!operator || operator.disabled) return { state: 'signed-out', operator: null, idleLockMinutes };
  return {
    state: lookup.kind === 'locked' ? 'locked' : 'active',
    operator,
    idleLockMinutes,
    ...(context.transport === 'http' ? { csrfToken: lookup.session.csrfToken } : {}),
  };
}
