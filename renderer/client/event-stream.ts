import type { LiveEvent } from '../../shared/contract/events.js';
import { parseLiveEvent } from './live-event-shape.js';

/** An open server-sent event connection: all this client needs is to close it. */
export interface EventSourceHandle {
  close(): void;
}

/** Opens a connection that hands each message's `data` to `onData` (a test can pass a small double). */
export type OpenEventSource = (onData: (data: unknown) => void) => EventSourceHandle;

/**
 * The server-sent event stream of the headless console. The stream is bound to the session cookie it
 * was opened with, so it is open only while a session exists (active or locked) and someone listens,
 * and it is closed and reopened whenever the session changes hands (sign-in, unlock, sign-out).
 */
export class LiveEventStream {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private source: EventSourceHandle | null = null;
  private sessionExists = false;

  constructor(private readonly open: OpenEventSource) {}

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    this.sync();
    return () => {
      this.listeners.delete(listener);
      this.sync();
    };
  }

  /** Called after every session answer; `rebind` forces a fresh stream for a new session cookie. */
  sessionChanged(sessionExists: boolean, rebind: boolean): void {
    this.sessionExists = sessionExists;
    if (rebind) this.closeSource();
    this.sync();
  }

  get isOpen(): boolean {
    return this.source !== null;
  }

  private sync(): void {
    const wanted = this.sessionExists && this.listeners.size > 0;
    if (wanted && this.source === null) this.openSource();
    if (!wanted) this.closeSource();
  }

  private openSource(): void {
    // The browser's EventSource retries on its own after a dropped connection; a refused one (the
    // session ended) stays closed until the next session change reopens it.
    this.source = this.open((data) => {
      const event = parseLiveEvent(data);
      if (event !== null) this.dispatch(event);
    });
  }

  private closeSource(): void {
    this.source?.close();
    this.source = null;
  }

  private dispatch(event: LiveEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener must not starve the others of events.
        console.error('A live-event listener failed', error);
      }
    }
  }
}
