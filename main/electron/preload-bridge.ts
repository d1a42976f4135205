import type { OperationFunctions, OscBridge } from '../../shared/contract/bridge.js';
import { IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL, type LiveEvent } from '../../shared/contract/events.js';
import type { ListedOperationName } from '../../shared/contract/operation-names.js';

/**
 * Builds `window.osc` for the preload: one function per contract operation, each bound to its own
 * fixed channel, plus the live-event subscription. The renderer can only call what the contract
 * names; there is no invoke(channel) or send() to reach any other channel, and the raw
 * ipcRenderer (or its event objects, whose `sender` IS the ipcRenderer) never crosses over.
 *
 * Pure and electron-free, so it runs in unit tests; preload.ts passes the real ipcRenderer pieces.
 */
export interface BridgeTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): void;
  off(channel: string, listener: (event: unknown, payload: unknown) => void): void;
}

function looksLikeLiveEvent(payload: unknown): payload is LiveEvent {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as { type?: unknown }).type === 'string'
  );
}

export function buildOscBridge(names: readonly ListedOperationName[], transport: BridgeTransport): OscBridge {
  const functions: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of names) {
    const channel = `${IPC_CHANNEL_PREFIX}${name}`;
    functions[name] = (input: unknown) => transport.invoke(channel, input);
  }
  return {
    // The main side answers every channel with a Result of that operation's output type; the
    // contract is the only source of those types, so this one cast is where they are attached.
    operations: Object.freeze(functions) as unknown as OperationFunctions,
    onEvent(listener) {
      const relay = (_event: unknown, payload: unknown): void => {
        if (looksLikeLiveEvent(payload)) listener(payload);
      };
      transport.on(IPC_EVENT_CHANNEL, relay);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        transport.off(IPC_EVENT_CHANNEL, relay);
      };
    },
  };
}
