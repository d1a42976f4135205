import type { CallContext } from '../api/call-context.js';

/**
 * The console windows the main process attached, and the operator session each one holds (kept in
 * the core process, next to the sessions themselves). A session belongs to a window (the id the main
 * process gave its port: the window's webContents id), not to the renderer: the renderer never sees
 * a session id or names its own window, so a compromised page cannot lift another window's session.
 */
export class WindowSessions {
  readonly #sessions = new Map<number, string | null>();

  /** A window the main process attached; only these may call the contract. */
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
