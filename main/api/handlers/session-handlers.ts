import { ApiFailure } from '../../../shared/contract/result.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../../auth/password-hash.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { sessionStatus } from './session-status.js';

type SessionHandlers = {
  readonly 'session.status': Handler<'session.status'>;
  readonly 'session.setupFirstAdmin': Handler<'session.setupFirstAdmin'>;
  readonly 'session.login': Handler<'session.login'>;
  readonly 'session.unlock': Handler<'session.unlock'>;
  readonly 'session.lock': Handler<'session.lock'>;
  readonly 'session.logout': Handler<'session.logout'>;
};

const WRONG_CREDENTIALS = 'Wrong username or password.';

export function sessionHandlers(services: Services): SessionHandlers {
  const { operators, sessions, loginThrottle } = services;

  async function checkPassword(username: string, password: string): Promise<boolean> {
    const wait = loginThrottle.waitFor(username);
    if (wait > 0) {
      throw new ApiFailure(
        'rate-limited',
        `Too many failed attempts. Try again in ${Math.ceil(wait / 1000)} s.`,
      );
    }
    const stored = operators.passwordHash(username);
    // Verify against a decoy when the account does not exist, so timing does not reveal usernames.
    const matches = await verifyPassword(password, stored ?? (await decoyPasswordHash()));
    const operator = operators.get(username);
    if (!stored || !matches || !operator || operator.disabled) {
      loginThrottle.recordFailure(username);
      return false;
    }
    loginThrottle.recordSuccess(username);
    return true;
  }

  return {
    'session.status': (_input, call) => sessionStatus(services, call.session, call.context),

    'session.setupFirstAdmin': async (input, call) => {
      if (operators.count() > 0) throw new ApiFailure('conflict', 'Setup is already done: sign in instead.');
      const passwordHash = await hashPassword(input.password);
      const created = operators.insertFirst({
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        roles: ['administrator'],
      });
      if (!created) throw new ApiFailure('conflict', 'Setup is already done: sign in instead.');
      const session = sessions.create(created.username);
      operators.recordLogin(created.username);
      call.context.bindSession(session.id);
      Object.assign(call.audit, {
        actor: created.username,
        target: created.username,
        detail: { roles: created.roles },
      });
      return sessionStatus(services, session, call.context);
    },

    'session.login': async (input, call) => {
      if (operators.count() === 0)
        throw new ApiFailure('setup-required', 'Create the first administrator first.');
      call.audit.target = input.username;
      if (!(await checkPassword(input.username, input.password))) {
        throw new ApiFailure('unauthenticated', WRONG_CREDENTIALS);
      }
      if (call.session) sessions.end(call.session.id);
      const session = sessions.create(input.username);
      operators.recordLogin(input.username);
      call.context.bindSession(session.id);
      call.audit.actor = input.username;
      return sessionStatus(services, session, call.context);
    },

    'session.unlock': async (input, call) => {
      const session = call.session;
      if (!session) throw new ApiFailure('unauthenticated', 'Your session has ended: sign in again.');
      call.audit.actor = session.username;
      if (!(await checkPassword(session.username, input.password))) {
        throw new ApiFailure('unauthenticated', 'Wrong password.');
      }
      sessions.unlock(session);
      // The session's other tabs and windows are still on the lock screen: tell them, as lock does.
      services.events.publishToSession(session.id, { type: 'session.unlocked' });
      return sessionStatus(services, session, call.context);
    },

    'session.lock': (_input, call) => {
      if (call.session) {
        sessions.lock(call.session);
        services.events.publishToSession(call.session.id, { type: 'session.locked', reason: 'manual' });
      }
      return sessionStatus(services, call.session, call.context);
    },

    'session.logout': (_input, call) => {
      if (call.session) {
        call.audit.actor = call.session.username;
        sessions.end(call.session.id);
        services.events.publishToSession(call.session.id, { type: 'session.ended', reason: 'logout' });
      }
      call.context.clearSession();
      return sessionStatus(services, null, call.context);
    },
  };
}
