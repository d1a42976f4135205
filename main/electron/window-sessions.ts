import type { CallContext } from '../api/call-context.js';

/**
 * The console windows this app created, and the operator session each one holds. A session belongs
 * to a window (its webContents id), not to the renderer: the renderer never sees a session id, so a
 * compromised page cannot lift another window's session.
 */
export class WindowSessions {
  readonly #sessions = new Map<number, string | null>();

  /** A window we created; only these may call the contract. */
  add(webContentsId: number): void {
    if (!this.#sessions.has(webContentsId)) this.#sessions.set(webContentsId, null);
  }

  /** The window is gone: forget it and its session. */
  remove(webContentsId: number): void {
    this.#sessions.delete(webContentsId);
  }

  has(webContentsId: number): boolean {
    return this.#sessions.has(webContentsId);
  }

  sessionOf(webContentsId: number): string | null {
    return this.#sessions.get(webContentsId) ?? null;
  }

  /** The dispatcher's view of one call from one window. */
  contextFor(webContentsId: number): CallContext {
    return {
      transport: 'ipc',
      origin: `ipc:window-${webContentsId}`,
      sessionId: this.sessionOf(webContentsId),
      bindSession: (sessionId) => {
        // A window closed mid-call must not come back to life with a session.
        if (this.#sessions.has(webContentsId)) this.#sessions.set(webContentsId, sessionId);
      },
      clearSession: () => {
        if (this.#sessions.has(webContentsId)) this.#sessions.set(webContentsId, null);
      },
    };
  }
}
