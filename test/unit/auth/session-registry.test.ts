import { describe, expect, it } from 'vitest';
import { SessionRegistry } from '../../../main/auth/session-registry.js';

function registry() {
  let now = 1_000_000;
  const sessions = new SessionRegistry({ idleLockMs: 60_000, maxAgeMs: 3_600_000, now: () => now });
  return { sessions, advance: (ms: number) => (now += ms) };
}

describe('operator sessions', () => {
  it('locks after inactivity and unlocks with activity reset', () => {
    const { sessions, advance } = registry();
    const session = sessions.create('ana');
    advance(59_000);
    expect(sessions.lookup(session.id).kind).toBe('active');
    sessions.touch(session);
    advance(59_000);
    expect(sessions.lookup(session.id).kind).toBe('active');
    advance(2_000);
    expect(sessions.lookup(session.id).kind).toBe('locked');
    sessions.unlock(session);
    expect(sessions.lookup(session.id).kind).toBe('active');
  });

  it('ends a session after its maximum age whatever the activity', () => {
    const { sessions, advance } = registry();
    const session = sessions.create('ana');
    for (let i = 0; i < 62; i += 1) {
      advance(59_000);
      sessions.touch(session);
    }
    expect(sessions.lookup(session.id).kind).toBe('none');
  });

  it('reports newly idle sessions once, for the lock event', () => {
    const { sessions, advance } = registry();
    const idle = sessions.create('ana');
    advance(30_000);
    const busy = sessions.create('ben');
    advance(31_000);
    expect(sessions.sweepIdle().map((s) => s.id)).toEqual([idle.id]);
    expect(sessions.sweepIdle()).toEqual([]);
    expect(sessions.lookup(busy.id).kind).toBe('active');
  });

  it('ends all sessions of one operator but the one asked to keep', () => {
    const { sessions } = registry();
    const a1 = sessions.create('ana');
    const a2 = sessions.create('ana');
    const b = sessions.create('ben');
    expect(sessions.endAllFor('ana', a2.id)).toEqual([a1.id]);
    expect(sessions.lookup(a1.id).kind).toBe('none');
    expect(sessions.lookup(a2.id).kind).toBe('active');
    expect(sessions.lookup(b.id).kind).toBe('active');
  });

  it('gives unguessable, distinct ids and CSRF tokens', () => {
    const { sessions } = registry();
    const ids = new Set<string>();
    for (let i = 0; i < 100; i += 1) {
      const session = sessions.create('ana');
      ids.add(session.id).add(session.csrfToken);
      expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(ids.size).toBe(200);
    expect(sessions.lookup('not-a-session').kind).toBe('none');
    expect(sessions.lookup(null).kind).toBe('none');
  });
});
