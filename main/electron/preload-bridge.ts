import type { OperationFunctions, OscBridge } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import type { ListedOperationName } from '../../shared/contract/operation-names.js';
import type { Result } from '../../shared/contract/result.js';

/**
 * Builds `window.osc` for the preload: one function per contract operation, each sending its own
 * fixed operation name, plus the live-event subscription. The renderer can only call what the
 * contract names; there is no generic call(name), and the port to the core process (or any IPC
 * object) never crosses over.
 *
 * Pure and electron-free, so it runs in unit tests; preload.ts passes the real port client.
 */
export interface BridgeConnection {
  request(op: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: LiveEvent) => void): () => void;
}

export function buildOscBridge(
  names: readonly ListedOperationName[],
  connection: BridgeConnection,
): OscBridge {
  const functions: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of names) {
    functions[name] = (input: unknown) => connection.request(name, input);
  }
  return {
    // The core answers every operation with a Result of that operation's output type; the contract is
    // the only source of those types, so this one cast is where they are attached.
    operations: Object.freeze(functions) as unknown as OperationFunctions,
    onEvent(listener) {
      // A wrapper, so the page's listener never receives anything but the event itself.
      const unsubscribe = connection.onEvent((event) => listener(event));
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        unsubscribe();
      };
    },
  };
}
