import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import type { ReconcileReport, ReconcileStatus } from '../../shared/domain/flow-reconcile.js';

export type ReconcileChangedEvent = Extract<LiveEvent, { type: 'reconcile.changed' }>;

export interface ReconcileSlice {
  /** One row per flow that reconciles. */
  readonly statuses: readonly ReconcileStatus[];
  /** The report shown (the chosen flow's last reconciliation), or null. */
  readonly report: ReconcileReport | null;
  readonly loaded: boolean;
  /** Flows whose reconciliation this console started and is waiting for. */
  readonly running: readonly string[];
  readonly error: string | null;
}

export interface ReconcileActions {
  load(ops: OperationFunctions): Promise<void>;
  show(ops: OperationFunctions, flowId: string | null): Promise<void>;
  /** Starts a reconciliation now; answers the server's refusal in its words, or null. */
  runNow(ops: OperationFunctions, flowId: string): Promise<string | null>;
  /** A `reconcile.changed` live event: status (and the report shown for that flow) read again. */
  onChanged(ops: OperationFunctions, event: ReconcileChangedEvent): void;
}

export type ReconcileStore = ReconcileSlice & ReconcileActions;

/** Reconciliation (issue 12) as the consoles show it: every role reads; starting one needs a role. */
export function createReconcileStore() {
  return createStore<ReconcileStore>()((set, get) => ({
    statuses: [],
    report: null,
    loaded: false,
    running: [],
    error: null,
    load: async (ops) => {
      set({ loaded: true });
      const result = await ops['reconcile.status']({});
      if (result.ok) set({ statuses: result.value, error: null });
      else set({ error: result.error.message });
    },
    show: async (ops, flowId) => {
      if (flowId === null) {
        set({ report: null });
        return;
      }
      const result = await ops['reconcile.report']({ flowId });
      if (result.ok) set({ report: result.value, error: null });
      else set({ error: result.error.message });
    },
    runNow: async (ops, flowId) => {
      set({ running: [...get().running, flowId] });
      const result = await ops['reconcile.run']({ flowId });
      set({ running: get().running.filter((id) => id !== flowId) });
      await get().load(ops);
      if (get().report?.flowId === flowId) await get().show(ops, flowId);
      return result.ok ? null : result.error.message;
    },
    onChanged: (ops, event) => {
      if (!get().loaded) return;
      void get().load(ops);
      if (get().report?.flowId === event.flowId) void get().show(ops, event.flowId);
    },
  }));
}

export const reconcileStore = createReconcileStore();
