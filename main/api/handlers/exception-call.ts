import { ApiFailure } from '../../../shared/contract/result.js';
import { ExceptionFixInputError } from '../../engine/store/exception-fix-requests.js';
import { ExceptionNotFoundError, ExceptionStateError } from '../../engine/store/exceptions-repo.js';
import type { HandlerCall } from '../handler-types.js';

/** The store's exception errors as the operator reads them: not found, conflict, invalid input. */
export function guardedExceptionCall<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ExceptionNotFoundError) throw new ApiFailure('not-found', error.message);
    if (error instanceof ExceptionStateError) throw new ApiFailure('conflict', error.message);
    if (error instanceof ExceptionFixInputError) throw new ApiFailure('invalid-input', error.message);
    throw error;
  }
}

/** Who acts: every exceptions write names its operator (the dispatcher has already signed them in). */
export function actingOperator(call: HandlerCall): string {
  if (call.operator === null) throw new ApiFailure('unauthenticated', 'Sign in first.');
  return call.operator.username;
}
