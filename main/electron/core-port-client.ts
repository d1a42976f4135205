import type { LiveEvent } from '../../shared/contract/events.js';
import { fail, type Result } from '../../shared/contract/result.js';
import type { PortLike } from '../core-process/message-port-like.js';
import { parseCoreToWindow, type CoreRequest } from '../core-process/port-protocol.js';

/**
 * The window's side of its port to the core process (it runs in the preload): numbers each request,
 * matches answers, and hands live events on. Every call ends in a Result: while the port is being set
 * up calls wait (up to a bound), and when the core process is gone every call in flight, and every
 * new one until a new port arrives, fails at once with a clear 'unavailable' error instead of hanging.
 */
export const CORE_GONE_MESSAGE =
  "The console's background process stopped. It is being restarted; try again in a moment.";
export const CORE_UNREACHABLE_MESSAGE = "The console's background process did not answer. Restart the app.";

type State = 'connecting' | 'open' | 'gone';

export interface CorePortClientOptions {
  /** How long a call waits for the first port before it fails (the core starts in well under this). */
  readonly connectTimeoutMs?: number;
}

interface Waiting {
  readonly request: CoreRequest;
  readonly settle: (result: Result<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class CorePortClient {
  #state: State = 'connecting';
  #port: PortLike | null = null;
  #nextId = 1;
  readonly #inFlight = new Map<number, (result: Result<unknown>) => void>();
  readonly #waiting: Waiting[] = [];
  readonly #listeners = new Set<(event: LiveEvent) => void>();
  readonly #connectTimeoutMs: number;

  constructor(options: CorePortClientOptions = {}) {
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  }

  get state(): State {
    return this.#state;
  }

  /** A new port from the main process: the old one (if any) is over, its calls fail. */
  attach(port: PortLike): void {
    this.#dropPort(CORE_GONE_MESSAGE);
    this.#port = port;
    this.#state = 'open';
    port.onMessage((message) => this.#receive(port, message));
    port.onClose(() => {
      if (this.#port === port) this.disconnect();
    });
    port.start();
    for (const waiting of this.#waiting.splice(0)) {
      clearTimeout(waiting.timer);
      this.#send(port, waiting.request, waiting.settle);
    }
  }

  /** The core process is gone: fail what is in flight and everything asked until the next port. */
  disconnect(message = CORE_GONE_MESSAGE): void {
    this.#dropPort(message);
    this.#state = 'gone';
    for (const waiting of this.#waiting.splice(0)) {
      clearTimeout(waiting.timer);
      waiting.settle(fail('unavailable', message));
    }
  }

  /** A new core is starting up: calls wait for its port again instead of failing. */
  reconnecting(): void {
    if (this.#state === 'gone') this.#state = 'connecting';
  }

  request(op: string, input: unknown): Promise<Result<unknown>> {
    return new Promise((settle) => {
      const request: CoreRequest = { id: this.#nextId++, op, input };
      if (this.#state === 'gone') {
        settle(fail('unavailable', CORE_GONE_MESSAGE));
      } else if (this.#state === 'open' && this.#port !== null) {
        this.#send(this.#port, request, settle);
      } else {
        const timer = setTimeout(() => {
          const index = this.#waiting.findIndex((waiting) => waiting.request === request);
          if (index !== -1) this.#waiting.splice(index, 1);
          settle(fail('unavailable', CORE_UNREACHABLE_MESSAGE));
        }, this.#connectTimeoutMs);
        this.#waiting.push({ request, settle, timer });
      }
    });
  }

  onEvent(listener: (event: LiveEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #send(port: PortLike, request: CoreRequest, settle: (result: Result<unknown>) => void): void {
    this.#inFlight.set(request.id, settle);
    try {
      port.postMessage(request);
    } catch {
      // An input that cannot be cloned (a function, say) never reaches the core.
      this.#inFlight.delete(request.id);
      settle(fail('invalid-input', 'This input cannot be sent to the console.'));
    }
  }

  #receive(port: PortLike, raw: unknown): void {
    if (port !== this.#port) return;
    const message = parseCoreToWindow(raw);
    if (message === null) return;
    if (message.kind === 'event') {
      for (const listener of this.#listeners) listener(message.event);
      return;
    }
    const settle = this.#inFlight.get(message.id);
    if (settle === undefined) return;
    this.#inFlight.delete(message.id);
    settle(message.result);
  }

  #dropPort(message: string): void {
    const port = this.#port;
    this.#port = null;
    for (const settle of this.#inFlight.values()) settle(fail('unavailable', message));
    this.#inFlight.clear();
    port?.close();
  }
}
