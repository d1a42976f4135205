import { ApiFailure } from '../../../shared/contract/result.js';
import { ExceptionFixesRepo } from '../../engine/store/exception-fixes-repo.js';
import { ExceptionFixInputError, ExceptionFixRequests } from '../../engine/store/exception-fix-requests.js';
import { ExceptionNotFoundError, ExceptionStateError } from '../../engine/store/exceptions-repo.js';
import type { Handler, HandlerCall } from '../handler-types.js';
import type { Services } from '../services.js';

type ExceptionFixHandlers = {
  readonly 'exceptions.mapCode': Handler<'exceptions.mapCode'>;
  readonly 'exceptions.retryWhenReferenced': Handler<'exceptions.retryWhenReferenced'>;
  readonly 'exceptions.fixes': Handler<'exceptions.fixes'>;
};

function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ExceptionNotFoundError) throw new ApiFailure('not-found', error.message);
    if (error instanceof ExceptionStateError) throw new ApiFailure('conflict', error.message);
    if (error instanceof ExceptionFixInputError) throw new ApiFailure('invalid-input', error.message);
    throw error;
  }
}

function actor(call: HandlerCall): string {
  if (call.operator === null) throw new ApiFailure('unauthenticated', 'Sign in first.');
  return call.operator.username;
}

/**
 * One-click fixes. Mapping a code writes a draft mapping version under the operator's name (the
 * mappings' four-eyes approval then applies as to any draft); the engine replays once a version
 * holding the entry is active. The audit row says what was mapped and which fix and version.
 */
export function exceptionFixHandlers(services: Services): ExceptionFixHandlers {
  const requests = new ExceptionFixRequests(services.store.db);
  const fixes = new ExceptionFixesRepo(services.store.db);
  return {
    'exceptions.mapCode': (input, call) => {
      const { fix, draft } = guarded(() =>
        requests.mapCode({ exceptionId: input.id, value: input.value, note: input.note, by: actor(call) }),
      );
      call.audit.target = input.id;
      call.audit.detail = {
        fix: fix.id,
        mapping: fix.mappingId,
        version: fix.mappingVersion,
        valueMap: fix.valueMap,
        code: fix.code,
        mappedTo: fix.mappedTo,
        covers: fix.progress.total,
        draftCreated: draft !== null,
      };
      if (draft !== null && fix.mappingId !== null) {
        services.events.publish({
          type: 'mappings.changed',
          id: fix.mappingId,
          version: draft.version,
          change: 'created',
        });
      }
      return fix;
    },
    'exceptions.retryWhenReferenced': (input, call) => {
      const fix = guarded(() => requests.retryWhenReferenced(input, actor(call)));
      call.audit.target = input.id ?? fix.id;
      call.audit.detail = {
        fix: fix.id,
        ...(input.signature === undefined ? {} : { signature: input.signature }),
        covers: fix.progress.total,
        nextAttemptAt: fix.nextAttemptAt,
      };
      return fix;
    },
    'exceptions.fixes': (input) => {
      const { limit, ...filter } = input;
      return fixes.list(filter, limit);
    },
  };
}
