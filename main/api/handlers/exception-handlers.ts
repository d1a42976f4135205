import { ApiFailure } from '../../../shared/contract/result.js';
import { RESOLVE } from '../../../shared/contract/ops/exception-ops.js';
import { rolesAllow } from '../../../shared/contract/roles.js';
import { ExceptionsRepo } from '../../engine/store/exceptions-repo.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { exceptionReplayHandlers } from './exception-replay-handlers.js';
import { actingOperator, guardedExceptionCall } from './exception-call.js';

type ExceptionHandlers = {
  readonly 'exceptions.list': Handler<'exceptions.list'>;
  readonly 'exceptions.groups': Handler<'exceptions.groups'>;
  readonly 'exceptions.counts': Handler<'exceptions.counts'>;
  readonly 'exceptions.get': Handler<'exceptions.get'>;
  readonly 'exceptions.assign': Handler<'exceptions.assign'>;
  readonly 'exceptions.note': Handler<'exceptions.note'>;
  readonly 'exceptions.ignore': Handler<'exceptions.ignore'>;
  readonly 'exceptions.retry': Handler<'exceptions.retry'>;
  readonly 'exceptions.replay': Handler<'exceptions.replay'>;
};

/**
 * The exceptions inbox. The dispatcher authorizes and audits every call with its operator and the
 * exception id (the `id` input); reads carry no audit detail, so a payload never reaches the log.
 */
export function exceptionHandlers(services: Services): ExceptionHandlers {
  const exceptions = new ExceptionsRepo(services.store.db);
  // Exceptions backfilled by migration 006 get their signatures here, once, before any call reads them.
  exceptions.fillMissingSignatures();

  return {
    ...exceptionReplayHandlers(services, exceptions),
    'exceptions.list': (input) => {
      const { cursor, limit, ...filter } = input;
      return exceptions.list(filter, cursor, limit);
    },
    'exceptions.groups': (input) => {
      const { limit, ...filter } = input;
      return exceptions.groups(filter, limit);
    },
    'exceptions.counts': () => exceptions.counts(),
    'exceptions.get': (input) => guardedExceptionCall(() => exceptions.get(input.id)),
    'exceptions.assign': (input) => {
      if (input.assignee !== null) {
        const assignee = services.operators.get(input.assignee);
        if (!assignee || assignee.disabled) {
          throw new ApiFailure('invalid-input', `There is no active operator ${input.assignee}.`);
        }
        if (!rolesAllow(RESOLVE, assignee.roles)) {
          throw new ApiFailure('invalid-input', `${input.assignee}'s role cannot settle exceptions.`);
        }
      }
      return guardedExceptionCall(() => exceptions.assign(input.id, input.assignee));
    },
    'exceptions.note': (input, call) =>
      guardedExceptionCall(() => exceptions.note(input.id, actingOperator(call), input.text)),
    'exceptions.ignore': (input, call) =>
      guardedExceptionCall(() => exceptions.ignore(input.id, actingOperator(call), input.reason)),
  };
}
