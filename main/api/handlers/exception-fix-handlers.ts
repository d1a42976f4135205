import { ExceptionFixesRepo } from '../../engine/store/exception-fixes-repo.js';
import { ExceptionFixRequests } from '../../engine/store/exception-fix-requests.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { actingOperator, guardedExceptionCall } from './exception-call.js';

type ExceptionFixHandlers = {
  readonly 'exceptions.mapCode': Handler<'exceptions.mapCode'>;
  readonly 'exceptions.retryWhenReferenced': Handler<'exceptions.retryWhenReferenced'>;
  readonly 'exceptions.fixes': Handler<'exceptions.fixes'>;
};

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
      const { fix, draft } = guardedExceptionCall(() =>
        requests.mapCode({
          exceptionId: input.id,
          value: input.value,
          note: input.note,
          by: actingOperator(call),
        }),
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
      const fix = guardedExceptionCall(() => requests.retryWhenReferenced(input, actingOperator(call)));
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
