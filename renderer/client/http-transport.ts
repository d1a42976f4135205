import type { OscBridge } from '../../shared/contract/bridge.js';
import { CSRF_HEADER, HTTP_EVENTS_PATH, HTTP_OPERATION_PREFIX } from '../../shared/contract/events.js';
import type { OperationName } from '../../shared/contract/operations.js';
import type { Result } from '../../shared/contract/result.js';
import type { SessionStatus } from '../../shared/domain/operator.js';
import { LiveEventStream, type EventSourceHandle } from './event-stream.js';
import {
  buildOperationFunctions,
  SESSION_REBIND_OPERATIONS,
  SESSION_STATUS_OPERATIONS,
  type CallOperation,
} from './operation-functions.js';
import { parseResultText, unavailable } from './result-shape.js';

export interface HttpTransportOptions {
  /** The browser's fetch, or a test double. */
  readonly fetch: typeof fetch;
  /** Opens an EventSource on `url` and passes each message's data on (the browser's, or a test double). */
  readonly openEventSource: (url: string, onData: (data: unknown) => void) => EventSourceHandle;
  /** '' for the page's own origin (the headless console serves the page and the API together). */
  readonly baseUrl?: string;
  /** A call that has not answered by then fails as 'unavailable' instead of hanging a page. */
  readonly callTimeoutMs?: number;
}

const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/**
 * The browser transport: `POST /api/ops/<name>` with the JSON input, and server-sent events for live
 * updates. The CSRF token lives only in this closure (never in a store or localStorage) and is
 * removed from the SessionStatus handed to the rest of the renderer.
 */
export function createHttpBridge(options: HttpTransportOptions): OscBridge {
  const baseUrl = options.baseUrl ?? '';
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const events = new LiveEventStream((onData) =>
    options.openEventSource(`${baseUrl}${HTTP_EVENTS_PATH}`, onData),
  );
  let csrfToken: string | null = null;

  async function post(name: OperationName, input: unknown): Promise<Result<unknown>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (csrfToken !== null) headers[CSRF_HEADER] = csrfToken;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const response = await options.fetch(`${baseUrl}${HTTP_OPERATION_PREFIX}${name}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
        signal: abort.signal,
      });
      return parseResultText(await response.text(), response.status);
    } catch {
      if (abort.signal.aborted) {
        return unavailable(`The console server did not answer within ${Math.round(timeoutMs / 1000)} s.`);
      }
      return unavailable('Cannot reach the console server. Check that it is running, then try again.');
    } finally {
      clearTimeout(timer);
    }
  }

  function afterSessionAnswer(name: OperationName, status: SessionStatus): SessionStatus {
    const { csrfToken: token, ...withoutToken } = status;
    if (typeof token === 'string' && token.length > 0) csrfToken = token;
    if (status.state === 'signed-out' || status.state === 'setup-required') csrfToken = null;
    const sessionExists = status.state === 'active' || status.state === 'locked';
    events.sessionChanged(sessionExists, SESSION_REBIND_OPERATIONS.has(name));
    return withoutToken;
  }

  async function callOnce(name: OperationName, input: unknown): Promise<Result<unknown>> {
    const result = await post(name, input);
    if (!result.ok) {
      if (result.error.code === 'unauthenticated' && !SESSION_REBIND_OPERATIONS.has(name)) {
        events.sessionChanged(false, true);
      }
      return result;
    }
    if (SESSION_STATUS_OPERATIONS.has(name)) {
      // The contract says these answer a SessionStatus; the server is the source of truth.
      return { ok: true, value: afterSessionAnswer(name, result.value as SessionStatus) };
    }
    return result;
  }

  async function call(name: OperationName, input: unknown): Promise<Result<unknown>> {
    const result = await callOnce(name, input);
    // A stale token (server restarted, session rotated): fetch the current one and retry once. The
    // server rejected the first attempt before running it, so a retried write cannot run twice.
    if (!result.ok && result.error.code === 'csrf-failed' && name !== 'session.status') {
      const refreshed = await callOnce('session.status', {});
      if (refreshed.ok) return callOnce(name, input);
    }
    return result;
  }

  return {
    // `call` returns the untyped Result the server sent; each operation's output type is the contract's.
    operations: buildOperationFunctions(call as CallOperation),
    onEvent: (listener) => events.subscribe(listener),
  };
}
