import type { OperationName, OperationOutput, ParsedInput } from '../../shared/contract/operations.js';
import type { Operator } from '../../shared/domain/operator.js';
import type { Session } from '../auth/session-registry.js';
import type { CallContext } from './call-context.js';

/** What a handler may say about its call for the audit row; the dispatcher writes the row. */
export interface AuditNote {
  /** Who acted, when the handler learns it (a successful sign-in). */
  actor?: string;
  target?: string | null;
  detail?: Record<string, unknown>;
}

export interface HandlerCall {
  readonly context: CallContext;
  /** The caller's session, active or locked; null for anonymous public calls. */
  readonly session: Session | null;
  /** The operator behind an active session; null for public calls without one. */
  readonly operator: Operator | null;
  readonly audit: AuditNote;
}

export type Handler<N extends OperationName> = (
  input: ParsedInput<N>,
  call: HandlerCall,
) => Promise<OperationOutput<N>> | OperationOutput<N>;

export type HandlerMap = { readonly [N in OperationName]: Handler<N> };
