import { randomBytes } from 'node:crypto';

export interface Session {
  readonly id: string;
  readonly username: string;
  /** Browser transports echo this in a header; it never travels in a cookie. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastActivityAt: number;
  locked: boolean;
}

export interface SessionRegistryOptions {
  readonly idleLockMs: number;
  /** A session ends after this long whatever the activity (a forgotten console on a shared desk). */
  readonly maxAgeMs: number;
  readonly now?: () => number;
}

export type SessionLookup =
  | { readonly kind: 'none' }
  | { readonly kind: 'locked'; readonly session: Session }
  | { readonly kind: 'active'; readonly session: Session };

/**
 * Operator sessions, in memory: a restart signs everyone out, which is the safe default. Sessions
 * lock after inactivity (the operator re-enters the password) and end after a maximum age.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;

  constructor(private readonly options: SessionRegistryOptions) {
    this.now = options.now ?? Date.now;
  }

  get idleLockMs(): number {
    return this.options.idleLockMs;
  }

  create(username: string): Session {
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      username,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: this.now(),
      lastActivityAt: this.now(),
      locked: false,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Looks a session up, locking it first if it has been idle too long. */
  lookup(id: string | null): SessionLookup {
    if (!id) return { kind: 'none' };
    const session = this.sessions.get(id);
    if (!session) return { kind: 'none' };
    const now = this.now();
    if (now - session.createdAt > this.options.maxAgeMs) {
      this.sessions.delete(id);
      return { kind: 'none' };
    }
    if (!session.locked && now - session.lastActivityAt > this.options.idleLockMs) session.locked = true;
    return session.locked ? { kind: 'locked', session } : { kind: 'active', session };
  }

  touch(session: Session): void {
    session.lastActivityAt = this.now();
  }

  lock(session: Session): void {
    session.locked = true;
  }

  unlock(session: Session): void {
    session.locked = false;
    session.lastActivityAt = this.now();
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of one operator but `keepId` (password reset, account disabled). */
  endAllFor(username: string, keepId: string | null = null): string[] {
    const ended: string[] = [];
    for (const [id, session] of this.sessions) {
      if (session.username === username && id !== keepId) {
        this.sessions.delete(id);
        ended.push(id);
      }
    }
    return ended;
  }

  /** Sessions that went idle since the last sweep: their consoles are told to show the lock screen. */
  sweepIdle(): Session[] {
    const newlyLocked: Session[] = [];
    for (const session of this.sessions.values()) {
      const before = session.locked;
      const result = this.lookup(session.id);
      if (!before && result.kind === 'locked') newlyLocked.push(session);
    }
    return newlyLocked;
  }
}
