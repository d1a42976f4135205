import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.js';
import type { Connection } from '../../../shared/domain/connection.js';
import { createConnectionsStore } from '../../../renderer/stores/connections-store.js';
import { deferred, fakeOperations } from './fake-operations.js';
import { UNKNOWN_CREDENTIALS } from '../../../shared/domain/connection-credentials.js';

function connection(id: string, name: string): Connection {
  return {
    id,
    name,
    kind: 'fhir',
    settings: {
      kind: 'fhir',
      baseUrl: 'https://ehr.example/fhir',
      authMethod: 'bearer',
      username: '',
      allowInsecureHttp: false,
      pageSize: 500,
      overlapSeconds: 120,
      timeoutMs: 30000,
    },
    secret: { isSet: false, changedAt: null },
    credentials: UNKNOWN_CREDENTIALS,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    createdBy: 'ada',
  };
}

describe('connections store', () => {
  it('loads the list sorted by name (case-insensitive)', async () => {
    const store = createConnectionsStore();
    const list = [connection('conn_bbbbbbbbbb', 'lab'), connection('conn_aaaaaaaaaa', 'Clinic Odoo')];
    const { ops } = fakeOperations({ 'connections.list': () => ({ ok: true, value: list }) });
    await store.getState().load(ops);
    expect(store.getState().items.map((item) => item.name)).toEqual(['Clinic Odoo', 'lab']);
    expect(store.getState()).toMatchObject({ loaded: true, loading: false, error: null });
  });

  it('keeps the message of a failed load and the list it had', async () => {
    const store = createConnectionsStore();
    store.getState().upsert(connection('conn_aaaaaaaaaa', 'Kept'));
    const { ops } = fakeOperations({
      'connections.list': () => ({ ok: false, error: { code: 'unavailable', message: 'Server down.' } }),
    });
    await store.getState().load(ops);
    expect(store.getState()).toMatchObject({ error: 'Server down.', loading: false });
    expect(store.getState().items).toHaveLength(1);
  });

  it('lets only the newest of two overlapping loads write the list', async () => {
    const store = createConnectionsStore();
    const slow = deferred<Result<Connection[]>>();
    let call = 0;
    const { ops } = fakeOperations({
      'connections.list': () =>
        ++call === 1 ? slow.promise : { ok: true, value: [connection('conn_newnewnewn', 'New')] },
    });
    const first = store.getState().load(ops);
    await store.getState().load(ops);
    slow.resolve({ ok: true, value: [connection('conn_oldoldoldo', 'Old')] });
    await first;
    expect(store.getState().items.map((item) => item.name)).toEqual(['New']);
  });

  it('replaces, adds and removes single connections', () => {
    const store = createConnectionsStore();
    store.getState().upsert(connection('conn_aaaaaaaaaa', 'B'));
    store.getState().upsert(connection('conn_bbbbbbbbbb', 'A'));
    store.getState().upsert({ ...connection('conn_aaaaaaaaaa', 'C') });
    expect(store.getState().items.map((item) => item.name)).toEqual(['A', 'C']);
    store.getState().remove('conn_bbbbbbbbbb');
    expect(store.getState().items.map((item) => item.id)).toEqual(['conn_aaaaaaaaaa']);
    store.getState().reset();
    expect(store.getState()).toMatchObject({ items: [], loaded: false });
  });
});
