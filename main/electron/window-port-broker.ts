import { checkSender, type InvokeEvent, type SenderVerdict } from './ipc-sender-check.js';

/**
 * Answers a window's "give me a port to the core" (the preload asks on load, and again when a new core
 * process is up). The asking frame must pass the same check every IPC call did: the top frame of a
 * window this app created, on app://console. Then a fresh MessageChannel is split: one end goes to the
 * core process with the window's id (the main process names the window, never the page), the other to
 * the frame that asked. The main process relays nothing after that and never touches the store.
 */
export interface PortPair<Port> {
  readonly port1: Port;
  readonly port2: Port;
}

export interface WindowPortBrokerOptions<Port> {
  isOurWindow(webContentsId: number): boolean;
  createChannel(): PortPair<Port>;
  /** Hands the core's end to the core process; false when no core is running (its end is closed). */
  attachToCore(windowId: number, port: Port): boolean;
  /** Hands the window's end to the frame that asked. */
  deliverToFrame(event: InvokeEvent, port: Port): void;
  onRefused?(reason: string): void;
}

export type ConnectOutcome = 'connected' | 'refused' | 'no-core';

export function connectWindowToCore<Port>(
  event: InvokeEvent,
  options: WindowPortBrokerOptions<Port>,
): ConnectOutcome {
  let verdict: SenderVerdict;
  try {
    verdict = checkSender(event, (id) => options.isOurWindow(id));
  } catch {
    // Reading a destroyed webContents' frame throws; a window that is gone gets no port anyway.
    verdict = { ok: false, reason: 'sender is gone' };
  }
  if (!verdict.ok) {
    options.onRefused?.(verdict.reason);
    return 'refused';
  }
  const { port1, port2 } = options.createChannel();
  // While a core restarts there is none to attach to: the window asks again once it is up.
  if (!options.attachToCore(verdict.windowId, port2)) return 'no-core';
  options.deliverToFrame(event, port1);
  return 'connected';
}
