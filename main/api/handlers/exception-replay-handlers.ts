import { MAX_RETRY_SELECTION } from '../../../shared/domain/exception.js';
import { ApiFailure } from '../../../shared/contract/result.js';
import type { ExceptionsRepo } from '../../engine/store/exceptions-repo.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';
import { callEngine } from './engine-call.js';
import { actingOperator } from './exception-call.js';

type ReplayHandlers = {
  readonly 'exceptions.retry': Handler<'exceptions.retry'>;
  readonly 'exceptions.replay': Handler<'exceptions.replay'>;
};

/**
 * Retry and edit-and-replay. The selection is resolved to exception ids here (a store read); the
 * engine worker creates the replay runs and, for an edit, evaluates the active mapping (never on the
 * serving thread). The audit row names the operator, how many were sent and by which runs.
 */
export function exceptionReplayHandlers(services: Services, exceptions: ExceptionsRepo): ReplayHandlers {
  const { engine } = services;
  return {
    'exceptions.retry': async (input, call) => {
      const requestedBy = actingOperator(call);
      const given = [input.ids, input.signature, input.filter].filter((part) => part !== undefined);
      if (given.length !== 1) {
        throw new ApiFailure('invalid-input', 'Choose exactly one of: ids, signature, filter.');
      }
      let ids: readonly string[];
      if (input.ids !== undefined) ids = input.ids;
      else {
        const filter = input.signature !== undefined ? { signature: input.signature } : (input.filter ?? {});
        ids = exceptions.unsettledIds(filter, MAX_RETRY_SELECTION + 1);
        if (ids.length > MAX_RETRY_SELECTION) {
          throw new ApiFailure(
            'invalid-input',
            `That selects more than ${MAX_RETRY_SELECTION} exceptions; narrow it (a flow, a class, a date) and retry in parts.`,
          );
        }
        if (ids.length === 0)
          throw new ApiFailure('conflict', 'No open, retrying or dead exception matches.');
      }
      const started = await callEngine(engine, 'retryExceptions', { exceptionIds: ids, requestedBy });
      let selection = 'filter';
      if (input.ids !== undefined) selection = 'ids';
      else if (input.signature !== undefined) selection = 'signature';
      call.audit.detail = {
        selection,
        ...(input.signature !== undefined ? { signature: input.signature } : {}),
        selected: ids.length,
        skipped: started.skipped,
        runs: started.runs,
      };
      return started;
    },
    'exceptions.replay': async (input, call) => {
      const requestedBy = actingOperator(call);
      const started = await callEngine(engine, 'replayEdited', {
        exceptionId: input.id,
        sourcePayload: input.sourcePayload,
        requestedBy,
      });
      call.audit.target = input.id;
      // The edited record itself stays out of the log (it may hold patient data).
      call.audit.detail = { id: input.id, edited: true, runs: started.runs };
      return started;
    },
  };
}
