import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { Operator } from '../../shared/domain/operator.js';

export interface OperatorsStore {
  readonly items: readonly Operator[];
  readonly loading: boolean;
  readonly loaded: boolean;
  readonly error: string | null;
  load(ops: OperationFunctions): Promise<void>;
  upsert(operator: Operator): void;
  reset(): void;
}

function byUsername(a: Operator, b: Operator): number {
  return a.username.localeCompare(b.username);
}

/** Operator accounts, for the administrators' Operators page. Passwords never pass through here. */
export function createOperatorsStore() {
  let latestRequest = 0;
  return createStore<OperatorsStore>()((set, get) => ({
    items: [],
    loading: false,
    loaded: false,
    error: null,
    async load(ops) {
      const request = ++latestRequest;
      set({ loading: true });
      const result = await ops['operators.list']({});
      if (request !== latestRequest) return;
      if (result.ok)
        set({ items: [...result.value].sort(byUsername), loading: false, loaded: true, error: null });
      else set({ loading: false, error: result.error.message });
    },
    upsert(operator) {
      const rest = get().items.filter((item) => item.username !== operator.username);
      set({ items: [...rest, operator].sort(byUsername) });
    },
    reset() {
      latestRequest++;
      set({ items: [], loading: false, loaded: false, error: null });
    },
  }));
}

export const operatorsStore = createOperatorsStore();
