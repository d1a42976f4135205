import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import type { Mapping, MappingVersion, MappingWithVersions } from '../../shared/domain/mapping.js';

export interface MappingsSlice {
  readonly items: readonly Mapping[];
  readonly loading: boolean;
  readonly loaded: boolean;
  readonly error: string | null;
  /** The mapping opened on the page, with every version; null while none is. */
  readonly detail: MappingWithVersions | null;
  readonly detailLoading: boolean;
  readonly detailError: string | null;
}

export interface MappingsActions {
  load(ops: OperationFunctions): Promise<void>;
  open(ops: OperationFunctions, id: string): Promise<void>;
  close(): void;
  /** A mapping the server just returned (create, import) goes into the list and is opened. */
  showDetail(mapping: MappingWithVersions): void;
  /** A version the server just returned (approve, activate, save draft) replaces its old copy. */
  upsertVersion(version: MappingVersion): void;
  onChanged(ops: OperationFunctions, event: Extract<LiveEvent, { type: 'mappings.changed' }>): void;
  reset(): void;
}

export type MappingsStore = MappingsSlice & MappingsActions;

const INITIAL: MappingsSlice = {
  items: [],
  loading: false,
  loaded: false,
  error: null,
  detail: null,
  detailLoading: false,
  detailError: null,
};

function byName(a: Mapping, b: Mapping): number {
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);
}

/** Strips the versions: the list holds summaries only. */
function summary(mapping: MappingWithVersions): Mapping {
  const { versions: _versions, ...rest } = mapping;
  return rest;
}

/** Puts a version into a mapping, keeping versions in order and the summary's numbers in step. */
export function withVersion(mapping: MappingWithVersions, version: MappingVersion): MappingWithVersions {
  const versions = [...mapping.versions.filter((item) => item.version !== version.version), version]
    .map((item) =>
      // Activating one version retires the one that was active before (the server did the same).
      version.status === 'active' && item.version !== version.version && item.status === 'active'
        ? { ...item, status: 'retired' as const }
        : item,
    )
    .sort((a, b) => a.version - b.version);
  return {
    ...mapping,
    versions,
    latestVersion: Math.max(mapping.latestVersion, version.version),
    activeVersion: version.status === 'active' ? version.version : mapping.activeVersion,
  };
}

export function createMappingsStore() {
  let listGeneration = 0;
  let detailGeneration = 0;

  return createStore<MappingsStore>()((set, get) => {
    function putSummary(mapping: Mapping): void {
      const rest = get().items.filter((item) => item.id !== mapping.id);
      set({ items: [...rest, mapping].sort(byName) });
    }

    return {
      ...INITIAL,
      async load(ops) {
        const request = ++listGeneration;
        set({ loading: true });
        const result = await ops['mappings.list']({});
        if (request !== listGeneration) return;
        if (result.ok)
          set({ items: [...result.value].sort(byName), loading: false, loaded: true, error: null });
        else set({ loading: false, error: result.error.message });
      },
      async open(ops, id) {
        const request = ++detailGeneration;
        if (get().detail?.id !== id) set({ detail: null });
        set({ detailLoading: true, detailError: null });
        const result = await ops['mappings.get']({ id });
        if (request !== detailGeneration) return;
        if (result.ok) {
          set({ detail: result.value, detailLoading: false });
          putSummary(summary(result.value));
        } else set({ detailLoading: false, detailError: result.error.message });
      },
      close() {
        detailGeneration++;
        set({ detail: null, detailLoading: false, detailError: null });
      },
      showDetail(mapping) {
        detailGeneration++;
        set({ detail: mapping, detailLoading: false, detailError: null });
        putSummary(summary(mapping));
      },
      upsertVersion(version) {
        const detail = get().detail;
        if (detail === null || detail.id !== version.mappingId) return;
        const next = withVersion(detail, version);
        set({ detail: next });
        putSummary(summary(next));
      },
      onChanged(ops, event) {
        // Another operator (or this one) changed a mapping: refresh what is on screen.
        if (get().loaded) void get().load(ops);
        if (get().detail?.id === event.id) void get().open(ops, event.id);
      },
      reset() {
        listGeneration++;
        detailGeneration++;
        set(INITIAL);
      },
    };
  });
}

export const mappingsStore = createMappingsStore();
