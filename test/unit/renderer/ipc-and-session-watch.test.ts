import { describe, expect, it } from 'vitest';
import type { OscBridge } from '../../../shared/contract/bridge.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { OPERATION_NAMES } from '../../../shared/contract/operations.js';
import type { Result } from '../../../shared/contract/result.js';
import type { SessionStatus } from '../../../shared/domain/operator.js';
import { findIpcBridge } from '../../../renderer/client/ipc-transport.js';
import { watchSession } from '../../../renderer/client/session-watch.js';

describe('IPC transport', () => {
  it('is not used when the preload exposed nothing (or something else)', () => {
    expect(findIpcBridge({})).toBeNull();
    expect(findIpcBridge({ osc: 'nope' })).toBeNull();
    expect(findIpcBridge({ osc: { operations: {} } })).toBeNull();
  });

  it("calls the preload's function for each operation and checks the answer", async () => {
    const calls: unknown[] = [];
    const win = {
      osc: {
        operations: {
          'connections.list': (input: unknown) => {
            calls.push(input);
            return Promise.resolve({ ok: true, value: [] });
          },
          'audit.verify': () => Promise.resolve('garbage'),
          'store.backup': () => Promise.reject(new Error('ipc closed')),
        },
        onEvent: () => () => undefined,
      },
    };
    const bridge = findIpcBridge(win)!;
    expect(Object.keys(bridge.operations).sort()).toEqual([...OPERATION_NAMES].sort());
    expect(await bridge.operations['connections.list']({})).toEqual({ ok: true, value: [] });
    expect(calls).toEqual([{}]);
    expect(await bridge.operations['audit.verify']({})).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    expect(await bridge.operations['store.backup']({})).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    const missing = await bridge.operations['operators.list']({});
    expect(!missing.ok && missing.error.message).toContain('operators.list');
  });

  it('passes on only well-formed live events, and unsubscribes', () => {
    let push: (event: unknown) => void = () => undefined;
    let unsubscribed = false;
    const win = {
      osc: {
        operations: {},
        onEvent: (listener: (event: unknown) => void) => {
          push = listener;
          return () => {
            unsubscribed = true;
          };
        },
      },
    };
    const received: LiveEvent[] = [];
    const stop = findIpcBridge(win)!.onEvent((event) => received.push(event));
    push({ type: 'session.ended', reason: 'logout' });
    push({ type: 'session.ended' });
    push('session.ended');
    expect(received).toEqual([{ type: 'session.ended', reason: 'logout' }]);
    stop();
    expect(unsubscribed).toBe(true);
  });
});

function bridgeAnswering(answers: Partial<Record<string, Result<unknown>>>): OscBridge {
  const operations = Object.fromEntries(
    OPERATION_NAMES.map((name) => [name, () => Promise.resolve(answers[name] ?? { ok: true, value: null })]),
  );
  return { operations: operations as unknown as OscBridge['operations'], onEvent: () => () => undefined };
}

function recordingHooks() {
  const seen: string[] = [];
  return {
    seen,
    hooks: {
      onStatus: (status: SessionStatus) => seen.push(`status:${status.state}`),
      onLocked: () => seen.push('locked'),
      onSignedOut: () => seen.push('signed-out'),
    },
  };
}

describe('session watch', () => {
  const locked = { ok: false as const, error: { code: 'session-locked' as const, message: 'Locked.' } };
  const unauth = { ok: false as const, error: { code: 'unauthenticated' as const, message: 'Sign in.' } };

  it("moves to the lock screen on 'session-locked' and to sign-in on 'unauthenticated'", async () => {
    const { seen, hooks } = recordingHooks();
    const client = watchSession(bridgeAnswering({ 'connections.list': locked, 'audit.list': unauth }), hooks);
    await client.operations['connections.list']({});
    await client.operations['audit.list']({});
    expect(seen).toEqual(['locked', 'signed-out']);
  });

  it('does not leave the sign-in or lock screen because a typed password was wrong', async () => {
    const { seen, hooks } = recordingHooks();
    const client = watchSession(
      bridgeAnswering({ 'session.unlock': unauth, 'session.login': unauth }),
      hooks,
    );
    await client.operations['session.unlock']({ password: 'wrong' });
    await client.operations['session.login']({ username: 'ada', password: 'wrong' });
    expect(seen).toEqual([]);
  });

  it('reports every session answer, and nothing for other successful calls', async () => {
    const { seen, hooks } = recordingHooks();
    const status = { state: 'locked', operator: null, idleLockMinutes: 5 };
    const client = watchSession(bridgeAnswering({ 'session.lock': { ok: true, value: status } }), hooks);
    await client.operations['session.lock']({});
    await client.operations['connections.list']({});
    expect(seen).toEqual(['status:locked']);
  });
});
