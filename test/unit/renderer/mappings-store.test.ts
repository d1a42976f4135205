import { describe, expect, it } from 'vitest';
import { createMappingsStore, withVersion } from '../../../renderer/stores/mappings-store.js';
import { fakeOperations } from './fake-operations.js';
import { mappingOf, versionOf } from './engine-fixtures.js';

describe('mappings store', () => {
  it('loads summaries sorted by name and opens one with its versions', async () => {
    const store = createMappingsStore();
    const detail = mappingOf([versionOf()]);
    const { versions: _versions, ...summary } = detail;
    const { ops } = fakeOperations({
      'mappings.list': () => ({
        ok: true,
        value: [{ ...summary, id: 'map_bbbbbbbbbb', name: 'zeta' }, summary],
      }),
      'mappings.get': () => ({ ok: true, value: detail }),
    });
    await store.getState().load(ops);
    expect(store.getState().items.map((item) => item.name)).toEqual(['Supplies', 'zeta']);
    await store.getState().open(ops, detail.id);
    expect(store.getState().detail).toEqual(detail);
  });

  it('keeps the message when a mapping cannot be opened', async () => {
    const store = createMappingsStore();
    const { ops } = fakeOperations({
      'mappings.get': () => ({ ok: false, error: { code: 'not-found', message: 'No such mapping.' } }),
    });
    await store.getState().open(ops, 'map_aaaaaaaaaa');
    expect(store.getState()).toMatchObject({
      detail: null,
      detailError: 'No such mapping.',
      detailLoading: false,
    });
  });

  it('activating a version retires the previously active one and moves the summary', () => {
    const mapping = mappingOf([
      versionOf({ version: 1, status: 'active' }),
      versionOf({ version: 2, status: 'approved' }),
    ]);
    const next = withVersion(mapping, versionOf({ version: 2, status: 'active' }));
    expect(next.versions.map((version) => version.status)).toEqual(['retired', 'active']);
    expect(next.activeVersion).toBe(2);
    const drafted = withVersion(next, versionOf({ version: 3 }));
    expect(drafted).toMatchObject({ latestVersion: 3, activeVersion: 2 });
  });

  it('applies a returned version only to the mapping that is open', () => {
    const store = createMappingsStore();
    store.getState().showDetail(mappingOf([versionOf()]));
    store.getState().upsertVersion(versionOf({ mappingId: 'map_bbbbbbbbbb', status: 'approved' }));
    expect(store.getState().detail?.versions[0]?.status).toBe('draft');
    store.getState().upsertVersion(versionOf({ status: 'approved', approvedBy: 'grace' }));
    expect(store.getState().detail?.versions[0]?.status).toBe('approved');
    expect(store.getState().items).toHaveLength(1);
  });

  it('follows mappings.changed for what is on screen only', async () => {
    const store = createMappingsStore();
    const { ops, calls } = fakeOperations({
      'mappings.list': () => ({ ok: true, value: [] }),
      'mappings.get': () => ({ ok: true, value: mappingOf([versionOf({ status: 'approved' })]) }),
    });
    const event = {
      type: 'mappings.changed' as const,
      id: 'map_aaaaaaaaaa',
      version: 1,
      change: 'approved' as const,
    };
    store.getState().onChanged(ops, event);
    expect(calls).toEqual([]);
    await store.getState().load(ops);
    store.getState().showDetail(mappingOf([versionOf()]));
    store.getState().onChanged(ops, event);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls.map((call) => call.name)).toEqual(['mappings.list', 'mappings.list', 'mappings.get']);
    expect(store.getState().detail?.versions[0]?.status).toBe('approved');
  });
});
