import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/api/event-bus.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Role } from '../../../shared/contract/roles.js';

function subscriber(sessionId: string | null, into: LiveEvent[]) {
  return { sessionId: () => sessionId, deliver: (event: LiveEvent) => void into.push(event) };
}

describe('live event fan-out', () => {
  const roles: Record<string, readonly Role[]> = { fin: ['finance'], it: ['it-staff'] };
  const bus = () => new EventBus({ rolesOf: (id) => (id ? (roles[id] ?? null) : null) });

  it('sends role-scoped events only to active sessions with an allowed role', () => {
    const events = bus();
    const finance: LiveEvent[] = [];
    const it: LiveEvent[] = [];
    const anonymous: LiveEvent[] = [];
    events.subscribe(subscriber('fin', finance));
    events.subscribe(subscriber('it', it));
    events.subscribe(subscriber(null, anonymous));
    const entry = {
      seq: 1,
      at: 'now',
      actor: 'ana',
      action: 'x',
      target: null,
      outcome: 'ok',
      detail: '{}',
      hash: 'h',
    } as const;
    events.publish({ type: 'audit.appended', entry });
    events.publish({ type: 'connections.changed', id: 'conn_1', change: 'created' });
    expect(it.map((e) => e.type)).toEqual(['audit.appended', 'connections.changed']);
    expect(finance.map((e) => e.type)).toEqual(['connections.changed']);
    expect(anonymous).toEqual([]);
  });

  it('sends session events only to that session, and drops a subscriber that throws', () => {
    const events = bus();
    const mine: LiveEvent[] = [];
    const other: LiveEvent[] = [];
    events.subscribe(subscriber('it', mine));
    events.subscribe(subscriber('fin', other));
    events.subscribe({
      sessionId: () => 'it',
      deliver: () => {
        throw new Error('closed');
      },
    });
    events.publishToSession('it', { type: 'session.locked', reason: 'manual' });
    expect(mine).toEqual([{ type: 'session.locked', reason: 'manual' }]);
    expect(other).toEqual([]);
    expect(events.size).toBe(2);
    expect(() => events.publish({ type: 'session.locked', reason: 'manual' })).toThrow(/publishToSession/);
  });
});
