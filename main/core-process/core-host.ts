import type { Core } from '../app/core-types.js';
import type { OperationName } from '../../shared/contract/operations.js';
import type { PortLike } from './message-port-like.js';
import { parseHostToCore, type CoreToHost } from './port-protocol.js';
import { serveWindowPort } from './window-port-server.js';
import { WindowSessions } from './window-sessions.js';

/**
 * The core process's side of its parent (Electron's parentPort, or a worker's in tests): the main
 * process attaches one port per window, naming the window, says when a window closed, and asks for a
 * clean shutdown. One live port per window: a reloaded page asks for a new one and the old one ends,
 * while the window's session stays (it belongs to the window, as before the core moved out).
 */
export interface HostChannel {
  onMessage(listener: (message: unknown, ports: readonly PortLike[]) => void): void;
  postMessage(message: CoreToHost): void;
}

export interface HostedCore {
  /** Resolves once a shutdown request has closed the core (store checkpointed, workers stopped). */
  readonly closed: Promise<void>;
}

export interface HostCoreOptions {
  readonly log: (message: string, detail?: string) => void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function hostCore(
  core: Pick<Core, 'dispatch' | 'subscribe' | 'close'>,
  host: HostChannel,
  options: HostCoreOptions,
): HostedCore {
  const sessions = new WindowSessions();
  const livePorts = new Map<number, () => void>();
  let shuttingDown = false;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  const portOptions = {
    dispatch: core.dispatch,
    subscribe: core.subscribe,
    sessions,
    onRefused: (windowId: number, reason: string) =>
      options.log(`refused a window-${windowId} message`, reason),
    onError: (name: OperationName, error: unknown) =>
      options.log(`operation ${name} failed`, describe(error)),
  };

  function attach(windowId: number, port: PortLike): void {
    livePorts.get(windowId)?.();
    sessions.add(windowId);
    const end = serveWindowPort(port, windowId, portOptions);
    livePorts.set(windowId, end);
  }

  function detach(windowId: number): void {
    livePorts.get(windowId)?.();
    livePorts.delete(windowId);
    sessions.remove(windowId);
  }

  async function shutdown(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const windowId of [...livePorts.keys()]) detach(windowId);
    try {
      await core.close();
    } catch (error) {
      options.log('closing the core failed', describe(error));
    }
    host.postMessage({ type: 'closed' });
    resolveClosed();
  }

  host.onMessage((raw, ports) => {
    const message = parseHostToCore(raw);
    if (message === null) {
      options.log('ignored an unknown message from the main process');
      for (const port of ports) port.close();
      return;
    }
    if (message.type === 'shutdown') {
      void shutdown();
      return;
    }
    if (message.type === 'window-closed') {
      detach(message.windowId);
      return;
    }
    const [port, ...extra] = ports;
    for (const unexpected of extra) unexpected.close();
    if (port === undefined) {
      options.log(`window-${message.windowId} was attached without a port`);
      return;
    }
    if (shuttingDown) {
      port.close();
      return;
    }
    attach(message.windowId, port);
  });

  return { closed };
}
