import type { OperationName } from '../../shared/contract/operations.js';
import type { Result } from '../../shared/contract/result.js';
import type { LiveEvent } from '../../shared/contract/events.js';

/**
 * What a transport (Electron IPC or HTTP) tells the dispatcher about one call. The transport owns how
 * a session is remembered (per window for IPC, an HttpOnly cookie for HTTP); the dispatcher only asks
 * it to bind or clear one.
 */
export interface CallContext {
  readonly transport: 'ipc' | 'http' | 'cli';
  /** Who is calling, for the audit log: "ipc:window-1", "http:127.0.0.1". */
  readonly origin: string;
  readonly sessionId: string | null;
  bindSession(sessionId: string): void;
  clearSession(): void;
}

export type Dispatch = (
  name: OperationName,
  rawInput: unknown,
  context: CallContext,
) => Promise<Result<unknown>>;

/** A live-event subscriber: a window or an SSE stream, filtered to what its session may see. */
export interface EventSubscriber {
  /** The session the subscriber belongs to, read at delivery time (it can change on login). */
  sessionId(): string | null;
  deliver(event: LiveEvent): void;
}
