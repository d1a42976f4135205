import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { AnomalyHold } from '../../shared/domain/flow-anomaly.js';

export interface HoldsSlice {
  /** Batches held as anomalous, waiting for a decision, newest first. */
  readonly held: readonly AnomalyHold[];
  /** Set once a load was asked for: live events refresh only what something has shown. */
  readonly loaded: boolean;
  readonly error: string | null;
}

export interface HoldsActions {
  load(ops: OperationFunctions): Promise<void>;
  /** A `holds.changed` live event: the list is read again (when it was shown). */
  onChanged(ops: OperationFunctions): void;
  /** Each decision answers the server's refusal in its own words, or null when it went through. */
  decide(
    ops: OperationFunctions,
    decision: 'release' | 'reject',
    id: string,
    reason: string,
  ): Promise<string | null>;
}

export type HoldsStore = HoldsSlice & HoldsActions;

/**
 * Anomaly holds (issue 12) as the consoles show them: only the held ones (decided holds are in the
 * audit log). Every role reads them; finance and administrators decide (the server checks again).
 */
export function createHoldsStore() {
  return createStore<HoldsStore>()((set, get) => ({
    held: [],
    loaded: false,
    error: null,
    load: async (ops) => {
      set({ loaded: true });
      const result = await ops['holds.list']({ state: 'held' });
      if (result.ok) set({ held: result.value, error: null });
      else set({ error: result.error.message });
    },
    onChanged: (ops) => {
      if (get().loaded) void get().load(ops);
    },
    decide: async (ops, decision, id, reason) => {
      const result =
        decision === 'release'
          ? await ops['holds.release']({ id, reason })
          : await ops['holds.reject']({ id, reason });
      await get().load(ops);
      return result.ok ? null : result.error.message;
    },
  }));
}

export const holdsStore = createHoldsStore();
