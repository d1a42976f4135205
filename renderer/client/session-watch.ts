import type { OscBridge } from '../../shared/contract/bridge.js';
import type { OperationName } from '../../shared/contract/operations.js';
import type { Result } from '../../shared/contract/result.js';
import type { SessionStatus } from '../../shared/domain/operator.js';
import {
  buildOperationFunctions,
  SESSION_STATUS_OPERATIONS,
  type CallOperation,
} from './operation-functions.js';

export interface SessionHooks {
  /** Any session answer (status, sign-in, unlock, lock, sign-out, first-run setup). */
  onStatus(status: SessionStatus): void;
  /** A call was refused because the session is locked. */
  onLocked(): void;
  /** A call was refused because there is no session (it expired, or was ended elsewhere). */
  onSignedOut(): void;
}

/**
 * Operations whose refusal says something about the credentials typed, not about the session: a wrong
 * password at the lock screen must keep the lock screen, not jump to sign-in.
 */
const CREDENTIAL_OPERATIONS: ReadonlySet<OperationName> = new Set([
  'session.login',
  'session.unlock',
  'session.setupFirstAdmin',
]);

/**
 * Wraps a bridge so that every answer keeps the session state current: any call refused with
 * 'session-locked' moves the console to the lock screen, 'unauthenticated' to sign-in.
 */
export function watchSession(bridge: OscBridge, hooks: SessionHooks): OscBridge {
  async function call(name: OperationName, input: unknown): Promise<Result<unknown>> {
    // The inner function is typed per name; here every name goes through the same path.
    const inner = bridge.operations[name] as (input: unknown) => Promise<Result<unknown>>;
    const result = await inner(input);
    if (result.ok) {
      if (SESSION_STATUS_OPERATIONS.has(name)) hooks.onStatus(result.value as SessionStatus);
    } else if (!CREDENTIAL_OPERATIONS.has(name)) {
      if (result.error.code === 'session-locked') hooks.onLocked();
      if (result.error.code === 'unauthenticated') hooks.onSignedOut();
    }
    return result;
  }
  return {
    operations: buildOperationFunctions(call as CallOperation),
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
