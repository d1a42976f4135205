import { describe, expect, it } from 'vitest';
import type { Operator } from '../../../shared/domain/operator.js';
import { createSessionStore } from '../../../renderer/stores/session-store.js';

const ada: Operator = {
  username: 'ada',
  displayName: 'Ada Lovelace',
  roles: ['it-staff', 'viewer'],
  disabled: false,
  createdAt: '2025-01-01T00:00:00Z',
  lastLoginAt: null,
};

describe('session store', () => {
  it('keeps who and which roles, never the CSRF token', () => {
    const store = createSessionStore();
    store
      .getState()
      .applyStatus({ state: 'active', operator: ada, idleLockMinutes: 15, csrfToken: 'secret-token' });
    const state = store.getState();
    expect(state.phase).toBe('active');
    expect(state.roles).toEqual(['it-staff', 'viewer']);
    expect(JSON.stringify(state)).not.toContain('secret-token');
  });

  it('remembers the operator while locked, so the lock screen can name them', () => {
    const store = createSessionStore();
    store.getState().applyStatus({ state: 'active', operator: ada, idleLockMinutes: 15 });
    store.getState().applyStatus({ state: 'locked', operator: null, idleLockMinutes: 15 });
    expect(store.getState().operator?.username).toBe('ada');
    store.getState().applyStatus({ state: 'active', operator: ada, idleLockMinutes: 15 });
    store.getState().markLocked('inactivity');
    expect(store.getState()).toMatchObject({ phase: 'locked', operator: { username: 'ada' } });
    expect(store.getState().notice).toMatch(/inactivity/);
  });

  it('forgets operator and roles on sign-out, and says why when it was not asked for', () => {
    const store = createSessionStore();
    store.getState().applyStatus({ state: 'active', operator: ada, idleLockMinutes: 15 });
    store.getState().markSignedOut('password-reset');
    expect(store.getState()).toMatchObject({ phase: 'signed-out', operator: null, roles: [] });
    expect(store.getState().notice).toMatch(/password was reset/);
    store.getState().applyStatus({ state: 'signed-out', operator: null, idleLockMinutes: 15 });
    expect(store.getState().roles).toEqual([]);
  });

  it('ignores lock and sign-out signals that do not fit the current state', () => {
    const store = createSessionStore();
    store.getState().applyStatus({ state: 'setup-required', operator: null, idleLockMinutes: 15 });
    store.getState().markLocked('refused');
    store.getState().markSignedOut('expired');
    expect(store.getState().phase).toBe('setup-required');
  });

  it('shows an unreachable server with its message', () => {
    const store = createSessionStore();
    store.getState().markUnreachable('Cannot reach the console server.');
    expect(store.getState()).toMatchObject({
      phase: 'unreachable',
      notice: 'Cannot reach the console server.',
    });
  });
});
