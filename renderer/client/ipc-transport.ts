import { BRIDGE_GLOBAL, type OscBridge } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import type { OperationName } from '../../shared/contract/operations.js';
import type { Result } from '../../shared/contract/result.js';
import { isLiveEvent } from './live-event-shape.js';
import { buildOperationFunctions, type CallOperation } from './operation-functions.js';
import { asResult, unavailable } from './result-shape.js';

type Preloaded = Record<string, unknown> & {
  readonly operations: Record<string, unknown>;
  readonly onEvent: (listener: (event: unknown) => void) => unknown;
};

function isPreloaded(value: unknown): value is Preloaded {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.operations === 'object' &&
    candidate.operations !== null &&
    typeof candidate.onEvent === 'function'
  );
}

/**
 * The Electron transport: the preload exposes `window.osc` with one function per operation. Its
 * answers are checked like HTTP answers, so a preload from another version (a missing function, an
 * odd reply, a rejected promise) shows a readable error instead of breaking a page.
 */
export function findIpcBridge(globalObject: object): OscBridge | null {
  const candidate: unknown = (globalObject as Record<string, unknown>)[BRIDGE_GLOBAL];
  if (!isPreloaded(candidate)) return null;
  const preloaded = candidate;

  async function call(name: OperationName, input: unknown): Promise<Result<unknown>> {
    const fn = preloaded.operations[name];
    if (typeof fn !== 'function') {
      return unavailable(`This console window does not offer "${name}". Restart the app to update it.`);
    }
    try {
      const answer: unknown = await (fn as (input: unknown) => Promise<unknown>)(input ?? {});
      return asResult(answer, 200);
    } catch {
      return unavailable('The console did not answer. Restart the app if this keeps happening.');
    }
  }

  return {
    // `call` returns the untyped Result the main side sent; each operation's output type is the contract's.
    operations: buildOperationFunctions(call as CallOperation),
    onEvent(listener: (event: LiveEvent) => void): () => void {
      const unsubscribe = preloaded.onEvent((event: unknown) => {
        if (isLiveEvent(event)) listener(event);
      });
      return typeof unsubscribe === 'function' ? (unsubscribe as () => void) : () => undefined;
    },
  };
}
