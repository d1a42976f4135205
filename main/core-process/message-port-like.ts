/**
 * The one port shape the core-process code is written against. Three real port kinds meet it through
 * the adapters below: Electron's MessagePortMain (main and utility process: `on('message', event)`
 * with `event.data`), a DOM MessagePort (the preload: `addEventListener`), and Node's
 * worker_threads MessagePort (`on('message', value)`), which the tests use to run the core process in
 * a real worker thread without Electron.
 *
 * Structural types only, no imports: the preload bundles this file.
 */
export interface PortLike {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The other end went away (its process died, or it was closed). */
  onClose(listener: () => void): void;
  /** Begins delivery; call it after attaching the listeners (the port queues messages until then). */
  start(): void;
  close(): void;
}

/** Electron's MessagePortMain (and anything else that wraps the payload in `event.data`). */
export interface EventPortMain {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** Node's worker_threads MessagePort: the payload itself is the listener's argument. */
export interface NodePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** A DOM MessagePort; Electron adds the 'close' event to it. */
export interface DomPort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

export function fromMainPort(port: EventPortMain): PortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', (event) => listener(event.data)),
    onClose: (listener) => void port.on('close', listener),
    start: () => port.start(),
    close: () => port.close(),
  };
}

export function fromNodePort(port: NodePort): PortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', listener),
    onClose: (listener) => void port.on('close', listener),
    start: () => port.start(),
    close: () => port.close(),
  };
}

export function fromDomPort(port: DomPort): PortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => port.addEventListener('message', (event) => listener(event.data)),
    onClose: (listener) => port.addEventListener('close', listener),
    start: () => port.start(),
    close: () => port.close(),
  };
}
