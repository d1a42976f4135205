import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { DashboardOverview } from '../../shared/domain/dashboard.js';
import type { ReconcileStatus } from '../../shared/domain/flow-reconcile.js';
import { FINISHED_RUN_STATUSES, type RunProgress } from '../../shared/domain/run.js';

/**
 * The dashboard's state (issue 12, item 4): one `dashboard.overview` answer, and the live progress of
 * running flows on top of it. Progress events arrive every 250 ms per running run (80 a second with
 * 20 flows busy); they are gathered and handed to the page at most every `FLUSH_MS`, so a busy engine
 * costs one render per flush instead of one per event. A run that ends, or a change the overview
 * counts (exceptions, holds, the outbox), reads the overview again, at most every `RELOAD_MS`.
 */
export const FLUSH_MS = 500;
export const RELOAD_MS = 2000;
/** Live throughput samples kept per flow (records/s, one per flush while it runs). */
export const LIVE_SAMPLES = 40;

export interface DashboardSlice {
  readonly overview: DashboardOverview | null;
  /** Each reconciling flow's status (`reconcile.status`), by flow id; a flow absent does not reconcile. */
  readonly reconcile: Readonly<Record<string, ReconcileStatus>>;
  readonly error: string | null;
  readonly loaded: boolean;
  /** The newest progress of each flow's current run (by flow id). */
  readonly progress: Readonly<Record<string, RunProgress>>;
  /** Throughput samples of each running flow, oldest first (by flow id). */
  readonly live: Readonly<Record<string, readonly number[]>>;
}

export interface DashboardActions {
  load(ops: OperationFunctions): Promise<void>;
  onProgress(ops: OperationFunctions, progress: RunProgress): void;
  /** Something the overview counts changed: read it again (throttled). */
  onSignal(ops: OperationFunctions): void;
  reset(): void;
}

export type DashboardStore = DashboardSlice & DashboardActions;

const INITIAL: DashboardSlice = {
  overview: null,
  reconcile: {},
  error: null,
  loaded: false,
  progress: {},
  live: {},
};

export function createDashboardStore(
  timers: { now: () => number; later: (fn: () => void, ms: number) => unknown } = {
    now: Date.now,
    later: (fn, ms) => setTimeout(fn, ms),
  },
) {
  let generation = 0;
  let lastLoadAt = Number.NEGATIVE_INFINITY;
  let reloadPending = false;
  let flushPending = false;
  let pending: Record<string, RunProgress> = {};

  return createStore<DashboardStore>()((set, get) => {
    function scheduleReload(ops: OperationFunctions): void {
      if (reloadPending) return;
      reloadPending = true;
      const wait = Math.max(0, lastLoadAt + RELOAD_MS - timers.now());
      timers.later(() => {
        reloadPending = false;
        void get().load(ops);
      }, wait);
    }

    function flush(ops: OperationFunctions): void {
      flushPending = false;
      const batch = pending;
      pending = {};
      const progress = { ...get().progress };
      const live = { ...get().live };
      let ended = false;
      for (const [flowId, next] of Object.entries(batch)) {
        progress[flowId] = next;
        if (FINISHED_RUN_STATUSES.includes(next.status)) {
          ended = true;
          continue;
        }
        live[flowId] = [...(live[flowId] ?? []), next.throughput].slice(-LIVE_SAMPLES);
      }
      set({ progress, live });
      if (ended) scheduleReload(ops);
    }

    return {
      ...INITIAL,
      async load(ops) {
        const request = ++generation;
        lastLoadAt = timers.now();
        const [result, reconcile] = await Promise.all([
          ops['dashboard.overview']({}),
          ops['reconcile.status']({}),
        ]);
        if (request !== generation) return;
        // The reconciliation column is extra: its failure leaves the rest of the dashboard standing.
        const statuses = reconcile.ok ? Object.fromEntries(reconcile.value.map((s) => [s.flowId, s])) : {};
        if (result.ok) set({ overview: result.value, reconcile: statuses, error: null, loaded: true });
        else set({ error: result.error.message, loaded: true });
      },
      onProgress(ops, progress) {
        if (!get().loaded) return;
        pending[progress.flowId] = progress;
        if (flushPending) return;
        flushPending = true;
        timers.later(() => flush(ops), FLUSH_MS);
      },
      onSignal(ops) {
        if (get().loaded) scheduleReload(ops);
      },
      reset() {
        generation += 1;
        pending = {};
        set(INITIAL);
      },
    };
  });
}

export const dashboardStore = createDashboardStore();
