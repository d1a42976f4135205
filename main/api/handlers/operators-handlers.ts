import { ApiFailure } from '../../../shared/contract/result.js';
import { hashPassword } from '../../auth/password-hash.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type OperatorHandlers = {
  readonly 'operators.list': Handler<'operators.list'>;
  readonly 'operators.create': Handler<'operators.create'>;
  readonly 'operators.update': Handler<'operators.update'>;
  readonly 'operators.resetPassword': Handler<'operators.resetPassword'>;
};

export function operatorHandlers(services: Services): OperatorHandlers {
  const { operators, sessions, events } = services;

  /** Ends an operator's sessions and tells their consoles why. */
  function endSessionsOf(username: string, reason: 'password-reset' | 'disabled'): void {
    for (const id of sessions.endAllFor(username))
      events.publishToSession(id, { type: 'session.ended', reason });
  }

  return {
    'operators.list': () => operators.list(),

    'operators.create': async (input, call) => {
      if (operators.get(input.username)) {
        throw new ApiFailure('conflict', `An operator named "${input.username}" already exists.`);
      }
      const created = operators.insert({
        username: input.username,
        displayName: input.displayName,
        passwordHash: await hashPassword(input.password),
        roles: input.roles,
      });
      Object.assign(call.audit, { target: created.username, detail: { roles: created.roles } });
      return created;
    },

    'operators.update': (input, call) => {
      const current = operators.get(input.username);
      if (!current) throw new ApiFailure('not-found', `No operator named "${input.username}".`);
      const losesAdmin =
        (input.roles !== undefined && !input.roles.includes('administrator')) || input.disabled === true;
      if (
        current.roles.includes('administrator') &&
        !current.disabled &&
        losesAdmin &&
        operators.otherActiveAdministrators(current.username) === 0
      ) {
        throw new ApiFailure('conflict', 'This is the last active administrator: make another one first.');
      }
      const updated = operators.update(input.username, input);
      if (!updated) throw new ApiFailure('not-found', `No operator named "${input.username}".`);
      if (input.disabled === true) endSessionsOf(updated.username, 'disabled');
      call.audit.target = updated.username;
      return updated;
    },

    'operators.resetPassword': async (input, call) => {
      if (!operators.get(input.username))
        throw new ApiFailure('not-found', `No operator named "${input.username}".`);
      operators.setPasswordHash(input.username, await hashPassword(input.password));
      // The caller's own session survives a reset of their own password; everyone else's ends.
      const keep = call.session?.username === input.username ? call.session.id : null;
      for (const id of sessions.endAllFor(input.username, keep)) {
        events.publishToSession(id, { type: 'session.ended', reason: 'password-reset' });
      }
      call.audit.target = input.username;
      const operator = operators.get(input.username);
      if (!operator) throw new ApiFailure('not-found', `No operator named "${input.username}".`);
      return operator;
    },
  };
}
