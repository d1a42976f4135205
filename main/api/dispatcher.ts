import { operations, type OperationName } from '../../shared/contract/operations.js';
import { ApiFailure, fail, ok, type ApiError, type Result } from '../../shared/contract/result.js';
import { rolesAllow } from '../../shared/contract/roles.js';
import type { Operator } from '../../shared/domain/operator.js';
import type { Session } from '../auth/session-registry.js';
import { VaultUnavailableError } from '../vault/vault-errors.js';
import { AUDIT_TARGET_MAX_CHARS, auditDetailFromInput, boundedText, defaultTarget } from './audit-detail.js';
import { exceptionsChangedAfterCall } from './exception-change-events.js';
import type { CallContext, Dispatch } from './call-context.js';
import type { AuditNote, Handler, HandlerMap } from './handler-types.js';
import { formatInputError, invalidFields } from './input-error.js';
import type { Services } from './services.js';

/** The store's cap on an actor (a username is at most 64; a handler's note could say more). */
const AUDIT_ACTOR_MAX_CHARS = 128;

interface Caller {
  readonly session: Session | null;
  readonly operator: Operator | null;
}

/**
 * The one place every operation goes through, whatever the transport: resolve the session, authorize
 * against the contract's role table, validate the input against its schema, run the handler, and
 * write the audit row (allowed, denied or failed) with the operator. Nothing but a Result leaves.
 */
export function createDispatcher(services: Services, handlers: HandlerMap): Dispatch {
  function resolveCaller(context: CallContext): Caller & { locked: boolean } {
    const lookup = services.sessions.lookup(context.sessionId);
    if (lookup.kind === 'none') return { session: null, operator: null, locked: false };
    const operator = services.operators.get(lookup.session.username);
    if (!operator || operator.disabled) {
      services.sessions.end(lookup.session.id);
      return { session: null, operator: null, locked: false };
    }
    const locked = lookup.kind === 'locked';
    return { session: lookup.session, operator: locked ? null : operator, locked };
  }

  function authorize(name: OperationName, caller: Caller & { locked: boolean }): ApiError | null {
    const access = operations[name].access;
    if (access === 'public') return null;
    if (caller.locked)
      return { code: 'session-locked', message: 'Your session is locked: enter your password.' };
    if (!caller.operator) return { code: 'unauthenticated', message: 'Sign in first.' };
    if (!rolesAllow(access, caller.operator.roles)) {
      return { code: 'forbidden', message: 'Your role does not allow this.' };
    }
    return null;
  }

  /**
   * Writes the call's audit row; answers an error only when no row could be written. A row the store
   * refuses (a handler's oversized note) must not turn the call into an unaudited crash: the refusal
   * is logged and a minimal row (operator, operation, target, outcome, error code) is written instead.
   * If that fails too the call fails, because a call that cannot be audited must not look done.
   */
  function audit(
    name: OperationName,
    caller: Caller,
    context: CallContext,
    note: AuditNote,
    outcome: 'ok' | 'denied' | 'error',
  ): ApiError | null {
    const actor = boundedText(
      note.actor ?? caller.operator?.username ?? caller.session?.username ?? 'anonymous',
      AUDIT_ACTOR_MAX_CHARS,
    );
    const target = note.target == null ? null : boundedText(note.target, AUDIT_TARGET_MAX_CHARS);
    const code = typeof note.detail?.code === 'string' ? { code: note.detail.code } : {};
    const attempts: Array<Record<string, unknown>> = [
      { ...note.detail, via: context.origin },
      { ...code, via: context.origin, auditDetail: 'refused by the store' },
    ];
    for (const detail of attempts) {
      try {
        services.store.audit.append({ actor, action: name, target, outcome, detail });
        return null;
      } catch (error) {
        services.logger.error({ operation: name, err: errorText(error) }, 'audit row refused');
      }
    }
    return {
      code: 'internal',
      message: 'The call could not be recorded in the audit log; see the console log.',
    };
  }

  async function run(
    name: OperationName,
    rawInput: unknown,
    context: CallContext,
    caller: Caller & { locked: boolean },
  ): Promise<Result<unknown>> {
    const spec = operations[name];
    const denied = authorize(name, caller);
    if (denied) {
      const unaudited = audit(name, caller, context, { detail: { code: denied.code } }, 'denied');
      return { ok: false, error: unaudited ?? denied };
    }
    if (caller.session && spec.access !== 'public') services.sessions.touch(caller.session);

    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const unaudited = audit(
        name,
        caller,
        context,
        {
          target: defaultTarget(rawInput),
          detail: { code: 'invalid-input', fields: invalidFields(parsed.error) },
        },
        'error',
      );
      return unaudited
        ? { ok: false, error: unaudited }
        : fail('invalid-input', formatInputError(parsed.error));
    }

    const note: AuditNote = { target: defaultTarget(parsed.data) };
    const handler = handlers[name] as Handler<typeof name>;
    try {
      const value: unknown = await handler(parsed.data, {
        context,
        session: caller.session,
        operator: caller.operator,
        audit: note,
      });
      note.detail ??= spec.kind === 'write' ? auditDetailFromInput(parsed.data, spec.secretFields) : {};
      const unaudited = audit(name, caller, context, note, 'ok');
      if (unaudited) return { ok: false, error: unaudited };
      // Consoles showing the inbox hear of every exception action, whichever handler did it.
      const changed = exceptionsChangedAfterCall(name, spec.kind, parsed.data, value);
      if (changed) services.events.publish(changed);
      return ok(value);
    } catch (error) {
      const apiError = toApiError(error, services, name);
      // A handler's own refusal (a flow's fallback roles, self-approval) is a denial like the contract's.
      const unaudited = audit(
        name,
        caller,
        context,
        { ...note, detail: { ...note.detail, code: apiError.code } },
        apiError.code === 'forbidden' ? 'denied' : 'error',
      );
      return { ok: false, error: unaudited ?? apiError };
    }
  }

  return async (name, rawInput, context): Promise<Result<unknown>> => {
    let caller: Caller & { locked: boolean } = { session: null, operator: null, locked: false };
    try {
      caller = resolveCaller(context);
      return await run(name, rawInput, context, caller);
    } catch (error) {
      // Anything thrown outside the handler (a session lookup, a schema transform) is still a call
      // that failed: it answers `internal` and leaves a row, like a handler's failure does.
      const apiError = toApiError(error, services, name);
      const unaudited = audit(name, caller, context, { detail: { code: apiError.code } }, 'error');
      return { ok: false, error: unaudited ?? apiError };
    }
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toApiError(error: unknown, services: Services, name: OperationName): ApiError {
  if (error instanceof ApiFailure) return { code: error.code, message: error.message };
  if (error instanceof VaultUnavailableError) return { code: 'keychain-unavailable', message: error.message };
  // Unknown failures are logged (message only, no input) and reported without internals.
  services.logger.error({ operation: name, err: errorText(error) }, 'operation failed');
  return {
    code: 'internal',
    message: 'Something went wrong inside the console; the details are in its log.',
  };
}
