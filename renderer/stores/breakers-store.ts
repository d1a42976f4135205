import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { ConnectionBreakerView } from '../../shared/domain/connection-breaker.js';

export interface BreakersStore {
  readonly items: readonly ConnectionBreakerView[];
  /** Set once an answer arrived: live events refresh only a list something has shown. */
  readonly loaded: boolean;
  load(ops: OperationFunctions): Promise<void>;
}

/** The connections' circuit breakers (connections.breakers), refreshed when one moves. */
export function createBreakersStore() {
  let latestRequest = 0;
  return createStore<BreakersStore>()((set) => ({
    items: [],
    loaded: false,
    async load(ops) {
      const request = ++latestRequest;
      const result = await ops['connections.breakers']({});
      // An older answer arriving late must not overwrite a newer one; a refusal keeps what is shown.
      if (request === latestRequest && result.ok) set({ items: result.value, loaded: true });
    },
  }));
}

export const breakersStore = createBreakersStore();
