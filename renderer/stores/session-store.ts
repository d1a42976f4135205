import { createStore } from 'zustand/vanilla';
import type { Role } from '../../shared/contract/roles.js';
import type { Operator, SessionState, SessionStatus } from '../../shared/domain/operator.js';

/** 'starting' until the first answer; 'unreachable' when the server cannot be asked at all. */
export type SessionPhase = SessionState | 'starting' | 'unreachable';

export interface SessionSlice {
  readonly phase: SessionPhase;
  /** Kept while locked, so the lock screen can say whose session it is. */
  readonly operator: Operator | null;
  readonly roles: readonly Role[];
  readonly idleLockMinutes: number | null;
  /** Why the console is at sign-in or the lock screen, in plain words (null when nothing to say). */
  readonly notice: string | null;
}

export interface SessionActions {
  applyStatus(status: SessionStatus): void;
  markLocked(reason: 'inactivity' | 'manual' | 'refused'): void;
  markSignedOut(reason: 'logout' | 'password-reset' | 'disabled' | 'expired'): void;
  markUnreachable(message: string): void;
}

export type SessionStore = SessionSlice & SessionActions;

const LOCK_NOTICES: Record<'inactivity' | 'manual' | 'refused', string | null> = {
  inactivity: 'The session locked after a period of inactivity.',
  manual: null,
  refused: 'The session is locked. Unlock it to continue.',
};

const SIGN_OUT_NOTICES: Record<'logout' | 'password-reset' | 'disabled' | 'expired', string | null> = {
  logout: null,
  'password-reset': 'Your password was reset by an administrator. Sign in with the new one.',
  disabled: 'Your account was disabled by an administrator.',
  expired: 'Your session ended. Sign in again to continue.',
};

const INITIAL: SessionSlice = {
  phase: 'starting',
  operator: null,
  roles: [],
  idleLockMinutes: null,
  notice: null,
};

/**
 * Who is signed in and in which state the console is. Only what the pages need is copied from a
 * SessionStatus: the CSRF token never reaches this store.
 */
export function createSessionStore() {
  return createStore<SessionStore>()((set, get) => ({
    ...INITIAL,
    applyStatus(status) {
      const operator = status.operator;
      // A lock answer may come without the operator; keep the one we know so the lock screen can name it.
      const hasSession = status.state === 'active' || status.state === 'locked';
      const known = status.state === 'locked' && operator === null ? get().operator : operator;
      set({
        phase: status.state,
        operator: hasSession ? known : null,
        roles: hasSession ? (known?.roles ?? []) : [],
        idleLockMinutes: status.idleLockMinutes,
        notice: status.state === get().phase ? get().notice : null,
      });
    },
    markLocked(reason) {
      const { phase } = get();
      if (phase !== 'active' && phase !== 'locked') return;
      set({ phase: 'locked', notice: LOCK_NOTICES[reason] });
    },
    markSignedOut(reason) {
      const { phase } = get();
      if (phase === 'setup-required' || phase === 'starting') return;
      set({ phase: 'signed-out', operator: null, roles: [], notice: SIGN_OUT_NOTICES[reason] });
    },
    markUnreachable(message) {
      set({ phase: 'unreachable', notice: message });
    },
  }));
}

export const sessionStore = createSessionStore();
