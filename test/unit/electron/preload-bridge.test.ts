import { describe, expect, it } from 'vitest';
import { buildOscBridge, type BridgeTransport } from '../../../main/electron/preload-bridge.js';
import { OPERATION_NAME_LIST } from '../../../shared/contract/operation-names.js';
import { OPERATION_NAMES } from '../../../shared/contract/operations.js';
import type { LiveEvent } from '../../../shared/contract/events.js';

type Relay = (event: unknown, payload: unknown) => void;

function fakeTransport() {
  const invocations: { channel: string; input: unknown }[] = [];
  const listeners = new Map<string, Set<Relay>>();
  const transport: BridgeTransport = {
    invoke: (channel, input) => {
      invocations.push({ channel, input });
      return Promise.resolve({ ok: true, value: channel });
    },
    on: (channel, listener) => {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
    },
    off: (channel, listener) => {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, event: unknown, payload: unknown): void => {
    for (const listener of listeners.get(channel) ?? []) listener(event, payload);
  };
  return { transport, invocations, listeners, emit };
}

describe('buildOscBridge', () => {
  it('has exactly one function per contract operation', () => {
    const bridge = buildOscBridge(OPERATION_NAME_LIST, fakeTransport().transport);
    expect(Object.keys(bridge.operations).sort()).toEqual([...OPERATION_NAMES].sort());
    for (const fn of Object.values(bridge.operations)) expect(typeof fn).toBe('function');
  });

  it('exposes nothing generic: only operations and onEvent', () => {
    const bridge = buildOscBridge(OPERATION_NAME_LIST, fakeTransport().transport);
    expect(Object.keys(bridge).sort()).toEqual(['onEvent', 'operations']);
    const everyKey = [...Object.keys(bridge), ...Object.keys(bridge.operations)];
    for (const generic of ['invoke', 'send', 'sendSync', 'on', 'off', 'ipcRenderer', 'call', 'request']) {
      expect(everyKey).not.toContain(generic);
    }
  });

  it('cannot be extended by the page', () => {
    const bridge = buildOscBridge(OPERATION_NAME_LIST, fakeTransport().transport);
    expect(Object.isFrozen(bridge.operations)).toBe(true);
  });

  it("sends each call on its own operation's channel with the input as given", async () => {
    const { transport, invocations } = fakeTransport();
    const bridge = buildOscBridge(OPERATION_NAME_LIST, transport);
    const input = { name: 'EHR', settings: { kind: 'fhir', baseUrl: 'https://ehr.example/fhir' } };
    // Deliberately untyped input: the main side validates, the bridge only carries.
    const result = await (bridge.operations['connections.create'] as (input: unknown) => Promise<unknown>)(
      input,
    );
    await bridge.operations['audit.verify']({});
    expect(invocations).toEqual([
      { channel: 'osc:connections.create', input },
      { channel: 'osc:audit.verify', input: {} },
    ]);
    expect(result).toEqual({ ok: true, value: 'osc:connections.create' });
  });

  it('delivers live events without the IPC event object, and unsubscribes', () => {
    const { transport, listeners, emit } = fakeTransport();
    const bridge = buildOscBridge(OPERATION_NAME_LIST, transport);
    const received: unknown[][] = [];
    const unsubscribe = bridge.onEvent((...args: unknown[]) => received.push(args));
    const live: LiveEvent = { type: 'session.locked', reason: 'inactivity' };
    const ipcEvent = { sender: { invoke: 'the raw ipcRenderer' } };
    emit('osc:event', ipcEvent, live);
    emit('osc:other', ipcEvent, live);
    expect(received).toEqual([[live]]);
    unsubscribe();
    unsubscribe();
    expect(listeners.get('osc:event')?.size).toBe(0);
    emit('osc:event', ipcEvent, live);
    expect(received).toHaveLength(1);
  });

  it('ignores malformed event payloads', () => {
    const { transport, emit } = fakeTransport();
    const bridge = buildOscBridge(OPERATION_NAME_LIST, transport);
    const received: unknown[] = [];
    bridge.onEvent((event) => received.push(event));
    for (const payload of [undefined, null, 'audit.appended', 42, { kind: 'x' }, { type: 7 }]) {
      emit('osc:event', {}, payload);
    }
    expect(received).toEqual([]);
  });
});
