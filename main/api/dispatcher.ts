import { operations, type OperationName } from '../../shared/contract/operations.js';
import { ApiFailure, fail, ok, type ApiError, type Result } from '../../shared/contract/result.js';
import { rolesAllow } from '../../shared/contract/roles.js';
import type { Operator } from '../../shared/domain/operator.js';
import type { Session } from '../auth/session-registry.js';
import { VaultUnavailableError } from '../vault/vault-errors.js';
import { auditDetailFromInput, defaultTarget } from './audit-detail.js';
import type { CallContext, Dispatch } from './call-context.js';
import type { AuditNote, Handler, HandlerMap } from './handler-types.js';
import { formatInputError } from './input-error.js';
import type { Services } from './services.js';

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

  function audit(
    name: OperationName,
    caller: Caller,
    context: CallContext,
    note: AuditNote,
    outcome: 'ok' | 'denied' | 'error',
  ): void {
    services.store.audit.append({
      actor: note.actor ?? caller.operator?.username ?? caller.session?.username ?? 'anonymous',
      action: name,
      target: note.target ?? null,
      outcome,
      detail: { ...note.detail, via: context.origin },
    });
  }

  return async (name, rawInput, context): Promise<Result<unknown>> => {
    const spec = operations[name];
    const caller = resolveCaller(context);
    const denied = authorize(name, caller);
    if (denied) {
      audit(name, caller, context, { detail: { code: denied.code } }, 'denied');
      return { ok: false, error: denied };
    }
    if (caller.session && spec.access !== 'public') services.sessions.touch(caller.session);

    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const message = formatInputError(parsed.error);
      audit(
        name,
        caller,
        context,
        { target: defaultTarget(rawInput), detail: { code: 'invalid-input' } },
        'error',
      );
      return fail('invalid-input', message);
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
      audit(name, caller, context, note, 'ok');
      return ok(value);
    } catch (error) {
      const apiError = toApiError(error, services, name);
      audit(name, caller, context, { ...note, detail: { ...note.detail, code: apiError.code } }, 'error');
      return { ok: false, error: apiError };
    }
  };
}

function toApiError(error: unknown, services: Services, name: OperationName): ApiError {
  if (error instanceof ApiFailure) return { code: error.code, message: error.message };
  if (error instanceof VaultUnavailableError) return { code: 'keychain-unavailable', message: error.message };
  // Unknown failures are logged (message only, no input) and reported without internals.
  services.logger.error(
    { operation: name, err: error instanceof Error ? error.message : String(error) },
    'operation failed',
  );
  return {
    code: 'internal',
    message: 'Something went wrong inside the console; the details are in its log.',
  };
}
