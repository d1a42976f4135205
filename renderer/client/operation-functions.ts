import type { OperationFunctions } from '../../shared/contract/bridge.js';
import {
  OPERATION_NAMES,
  type OperationInput,
  type OperationName,
  type OperationOutput,
} from '../../shared/contract/operations.js';
import type { Result } from '../../shared/contract/result.js';

/** One generic call, typed per operation. Every transport and wrapper implements this. */
export type CallOperation = <N extends OperationName>(
  name: N,
  input: OperationInput<N>,
) => Promise<Result<OperationOutput<N>>>;

/**
 * Builds the one-function-per-operation object from the contract's names, so a new operation in the
 * contract appears in every client without a hand-written list.
 */
export function buildOperationFunctions(call: CallOperation): OperationFunctions {
  const entries = OPERATION_NAMES.map((name) => [
    name,
    (input: OperationInput<typeof name>) => call(name, input),
  ]);
  // Object.fromEntries loses the per-key types; the entries above are exactly one `call` per name.
  return Object.freeze(Object.fromEntries(entries)) as OperationFunctions;
}

/** Operations whose answer is a SessionStatus (the session can change with each). */
export const SESSION_STATUS_OPERATIONS: ReadonlySet<OperationName> = new Set([
  'session.status',
  'session.setupFirstAdmin',
  'session.login',
  'session.unlock',
  'session.lock',
  'session.logout',
]);

/** Operations after which the session cookie belongs to a different (or no) session. */
export const SESSION_REBIND_OPERATIONS: ReadonlySet<OperationName> = new Set([
  'session.setupFirstAdmin',
  'session.login',
  'session.unlock',
  'session.logout',
]);
