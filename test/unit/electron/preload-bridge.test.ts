import { describe, expect, it } from 'vitest';
import { buildOscBridge, type BridgeConnection } from '../../../main/electron/preload-bridge.js';
import { OPERATION_NAME_LIST } from '../../../shared/contract/operation-names.js';
import { OPERATION_NAMES } from '../../../shared/contract/operations.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { ok } from '../../../shared/contract/result.js';

function fakeConnection() {
  const requests: { op: string; input: unknown }[] = [];
  const listeners = new Set<(event: LiveEvent) => void>();
  const connection: BridgeConnection = {
    request: (op, input) => {
      requests.push({ op, input });
      return Promise.resolve(ok(op));
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (event: LiveEvent): void => {
    for (const listener of listeners) listener(event);
  };
  return { connection, requests, listeners, emit };
}

describe('buildOscBridge', () => {
  it('has exactly one function per contract operation', () => {
    const bridge = buildOscBridge(OPERATION_NAME_LIST, fakeConnection().connection);
    expect(Object.keys(bridge.operations).sort()).toEqual([...OPERATION_NAMES].sort());
    for (const fn of Object.values(bridge.operations)) expect(typeof fn).toBe('function');
  });

  it('exposes nothing generic: only operations and onEvent', () => {
    const bridge = buildOscBridge(OPERATION_NAME_LIST, fakeConnection().connection);
    expect(Object.keys(bridge).sort()).toEqual(['onEvent', 'operations']);
    const everyKey = [...Object.keys(bridge), ...Object.keys(bridge.operations)];
    for (const generic of [
      'invoke',
      'send',
      'sendSync',
      'on',
      'off',
      'ipcRenderer',
      'call',
      'request',
      'port',
    ]) {
      expect(everyKey).not.toContain(generic);
    }
  });

  it('cannot be extended by the page', () => {
    const bridge = buildOscBridge(OPERATION_NAME_LIST, fakeConnection().connection);
    expect(Object.isFrozen(bridge.operations)).toBe(true);
  });

  it('sends each call as its own operation with the input as given', async () => {
    const { connection, requests } = fakeConnection();
    const bridge = buildOscBridge(OPERATION_NAME_LIST, connection);
    const input = { name: 'EHR', settings: { kind: 'fhir', baseUrl: 'https://ehr.example/fhir' } };
    // Deliberately untyped input: the core validates, the bridge only carries.
    const result = await (bridge.operations['connections.create'] as (input: unknown) => Promise<unknown>)(
      input,
    );
    await bridge.operations['audit.verify']({});
    expect(requests).toEqual([
      { op: 'connections.create', input },
      { op: 'audit.verify', input: {} },
    ]);
    expect(result).toEqual({ ok: true, value: 'connections.create' });
  });

  it('delivers live events as the event alone, and unsubscribes once', () => {
    const { connection, listeners, emit } = fakeConnection();
    const bridge = buildOscBridge(OPERATION_NAME_LIST, connection);
    const received: unknown[][] = [];
    const unsubscribe = bridge.onEvent((...args: unknown[]) => received.push(args));
    const live: LiveEvent = { type: 'session.locked', reason: 'inactivity' };
    emit(live);
    expect(received).toEqual([[live]]);
    unsubscribe();
    unsubscribe();
    expect(listeners.size).toBe(0);
    emit(live);
    expect(received).toHaveLength(1);
  });
});
