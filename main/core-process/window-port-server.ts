import type { Dispatch, EventSubscriber } from '../api/call-context.js';
import { OPERATION_NAMES, type OperationName } from '../../shared/contract/operations.js';
import { fail, type Result } from '../../shared/contract/result.js';
import type { PortLike } from './message-port-like.js';
import { parseCoreRequest, type CoreToWindow } from './port-protocol.js';
import type { WindowSessions } from './window-sessions.js';

/**
 * Serves one console window's port in the core process: each request goes to the dispatcher (which
 * validates the raw input against the contract and authorizes it) with the context of the window the
 * main process named for this port, and the window's live events are pushed on the same port, filtered
 * by its session. The port's messages never say who is calling; the window id is fixed at attach time.
 */
export interface WindowPortOptions {
  readonly dispatch: Dispatch;
  readonly subscribe: (subscriber: EventSubscriber) => () => void;
  readonly sessions: WindowSessions;
  /** A malformed message or a failed call, for the log: never the input (it may hold a password). */
  readonly onRefused?: (windowId: number, reason: string) => void;
  readonly onError?: (name: OperationName, error: unknown) => void;
}

const KNOWN_OPERATIONS: ReadonlySet<string> = new Set(OPERATION_NAMES);

function isOperationName(op: string): op is OperationName {
  return KNOWN_OPERATIONS.has(op);
}

async function answer(
  options: WindowPortOptions,
  windowId: number,
  op: OperationName,
  input: unknown,
): Promise<Result<unknown>> {
  try {
    return await options.dispatch(op, input, options.sessions.contextFor(windowId));
  } catch (error) {
    // The dispatcher answers failures itself; reaching here is a bug. Never send its text across.
    options.onError?.(op, error);
    return fail('internal', 'Something went wrong in the console. The details are in its log.');
  }
}

/** Serves `port` as window `windowId` until the port closes or the returned function is called. */
export function serveWindowPort(port: PortLike, windowId: number, options: WindowPortOptions): () => void {
  let ended = false;
  const send = (message: CoreToWindow): void => {
    if (!ended) port.postMessage(message);
  };
  const unsubscribe = options.subscribe({
    sessionId: () => options.sessions.sessionOf(windowId),
    deliver: (event) => send({ kind: 'event', event }),
  });
  const end = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    port.close();
  };
  port.onMessage((message) => {
    const request = parseCoreRequest(message);
    if (request === null) {
      options.onRefused?.(windowId, 'malformed request');
      return;
    }
    if (!isOperationName(request.op)) {
      options.onRefused?.(windowId, 'unknown operation');
      send({ kind: 'result', id: request.id, result: fail('invalid-input', 'There is no such operation.') });
      return;
    }
    void answer(options, windowId, request.op, request.input).then((result) =>
      send({ kind: 'result', id: request.id, result }),
    );
  });
  port.onClose(end);
  port.start();
  return end;
}
