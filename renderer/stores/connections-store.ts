import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { Connection } from '../../shared/domain/connection.js';

export interface ConnectionsSlice {
  readonly items: readonly Connection[];
  readonly loading: boolean;
  /** Set once a list has arrived, so an empty list reads "no connections yet", not "loading". */
  readonly loaded: boolean;
  readonly error: string | null;
}

export interface ConnectionsActions {
  load(ops: OperationFunctions): Promise<void>;
  /** Puts a connection the server just returned into the list (after create, edit, secret change). */
  upsert(connection: Connection): void;
  remove(id: string): void;
  reset(): void;
}

export type ConnectionsStore = ConnectionsSlice & ConnectionsActions;

const INITIAL: ConnectionsSlice = { items: [], loading: false, loaded: false, error: null };

function byName(a: Connection, b: Connection): number {
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);
}

export function createConnectionsStore() {
  // Answers can arrive out of order (a live event triggers a reload while another runs): only the
  // newest request may write the list.
  let latestRequest = 0;
  return createStore<ConnectionsStore>()((set, get) => ({
    ...INITIAL,
    async load(ops) {
      const request = ++latestRequest;
      set({ loading: true });
      const result = await ops['connections.list']({});
      if (request !== latestRequest) return;
      if (result.ok)
        set({ items: [...result.value].sort(byName), loading: false, loaded: true, error: null });
      else set({ loading: false, error: result.error.message });
    },
    upsert(connection) {
      const rest = get().items.filter((item) => item.id !== connection.id);
      set({ items: [...rest, connection].sort(byName) });
    },
    remove(id) {
      set({ items: get().items.filter((item) => item.id !== id) });
    },
    reset() {
      latestRequest++;
      set(INITIAL);
    },
  }));
}

export const connectionsStore = createConnectionsStore();
