import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import type { Flow } from '../../shared/domain/flow.js';
import { FINISHED_RUN_STATUSES, type Run, type RunProgress } from '../../shared/domain/run.js';

export type FreshnessEvent = Extract<LiveEvent, { type: 'flows.freshness' }>;
export type EngineStatusEvent = Extract<LiveEvent, { type: 'engine.status' }>;
export type RunFailureEvent = Extract<LiveEvent, { type: 'runs.failure' }>;

export interface FlowsSlice {
  readonly flows: readonly Flow[];
  /** The last run of each flow (by flow id), for its counts and timing. */
  readonly lastRuns: Readonly<Record<string, Run>>;
  /** The newest progress event of each flow's current or just-finished run (by flow id). */
  readonly progress: Readonly<Record<string, RunProgress>>;
  /** The engine's own freshness verdict per flow (by flow id), newer than anything computed here. */
  readonly freshness: Readonly<Record<string, FreshnessEvent>>;
  /** The newest record failures pushed live, newest first (where and why only; no payload). */
  readonly liveFailures: readonly RunFailureEvent[];
  readonly engine: EngineStatusEvent | null;
  readonly loading: boolean;
  readonly loaded: boolean;
  readonly error: string | null;
}

export interface FlowsActions {
  load(ops: OperationFunctions): Promise<void>;
  /** Asks the server for one flow again (after an event), dropping it when it no longer exists. */
  refreshFlow(ops: OperationFunctions, id: string): Promise<void>;
  upsertFlow(flow: Flow): void;
  /** A run the server just returned (run now, backfill, pause, cancel) becomes the flow's last run. */
  upsertRun(run: Run): void;
  onFlowChanged(ops: OperationFunctions, event: Extract<LiveEvent, { type: 'flows.changed' }>): void;
  onProgress(ops: OperationFunctions, progress: RunProgress): void;
  onFailure(event: RunFailureEvent): void;
  onFreshness(event: FreshnessEvent): void;
  onEngineStatus(event: EngineStatusEvent): void;
  reset(): void;
}

export type FlowsStore = FlowsSlice & FlowsActions;

/** Enough to show what is going wrong now; the full list is one click away (runs.failures). */
export const LIVE_FAILURES_KEPT = 50;
/** How many recent runs the first load reads to find each flow's last run in one call. */
const RECENT_RUNS_READ = 200;

const INITIAL: FlowsSlice = {
  flows: [],
  lastRuns: {},
  progress: {},
  freshness: {},
  liveFailures: [],
  engine: null,
  loading: false,
  loaded: false,
  error: null,
};

function byName(a: Flow, b: Flow): number {
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);
}

export function isFinished(status: Run['status']): boolean {
  return FINISHED_RUN_STATUSES.includes(status);
}

/** Keeps the newer of two runs of one flow (a late answer must not replace a newer run). */
function newerRun(current: Run | undefined, next: Run): Run {
  if (current === undefined || current.id === next.id) return next;
  return next.queuedAt >= current.queuedAt ? next : current;
}

export function createFlowsStore() {
  // Only the newest list request may replace the list (a live event can start one while another runs).
  let generation = 0;

  return createStore<FlowsStore>()((set, get) => {
    async function fetchRun(ops: OperationFunctions, id: string): Promise<void> {
      const request = generation;
      const result = await ops['runs.get']({ id });
      if (request === generation && result.ok) get().upsertRun(result.value);
    }

    return {
      ...INITIAL,
      async load(ops) {
        const request = ++generation;
        set({ loading: true });
        const [flows, runs] = await Promise.all([
          ops['flows.list']({}),
          ops['runs.list']({ limit: RECENT_RUNS_READ }),
        ]);
        if (request !== generation) return;
        if (!flows.ok) {
          set({ loading: false, error: flows.error.message });
          return;
        }
        const lastRuns: Record<string, Run> = { ...get().lastRuns };
        // Runs come newest first, so the first run seen of a flow is its newest.
        if (runs.ok)
          for (const run of [...runs.value].reverse())
            lastRuns[run.flowId] = newerRun(lastRuns[run.flowId], run);
        set({ flows: [...flows.value].sort(byName), lastRuns, loading: false, loaded: true, error: null });
        // A flow whose last run is older than the recent page: one read each (bounded by the flow count).
        const missing = flows.value.flatMap((flow) =>
          flow.lastRunId !== null && lastRuns[flow.id]?.id !== flow.lastRunId ? [flow.lastRunId] : [],
        );
        await Promise.all(missing.map((runId) => fetchRun(ops, runId)));
      },
      async refreshFlow(ops, id) {
        const request = generation;
        const result = await ops['flows.get']({ id });
        if (request !== generation) return;
        if (result.ok) {
          get().upsertFlow(result.value);
          const lastRunId = result.value.lastRunId;
          if (lastRunId !== null && get().lastRuns[id]?.id !== lastRunId) await fetchRun(ops, lastRunId);
        } else if (result.error.code === 'not-found') {
          set({ flows: get().flows.filter((flow) => flow.id !== id) });
        }
      },
      upsertFlow(flow) {
        const rest = get().flows.filter((item) => item.id !== flow.id);
        set({ flows: [...rest, flow].sort(byName) });
      },
      upsertRun(run) {
        const lastRuns = get().lastRuns;
        set({ lastRuns: { ...lastRuns, [run.flowId]: newerRun(lastRuns[run.flowId], run) } });
      },
      onFlowChanged(ops, event) {
        if (!get().loaded) return;
        if (event.change === 'deleted') {
          set({ flows: get().flows.filter((flow) => flow.id !== event.id) });
          return;
        }
        void get().refreshFlow(ops, event.id);
      },
      onProgress(ops, progress) {
        const { lastRuns } = get();
        const known = lastRuns[progress.flowId];
        // The counts of the flow's last run follow its events (the final read adds cursor and timing).
        const lastRun =
          known?.id === progress.runId
            ? { ...known, status: progress.status, counts: progress.counts }
            : known;
        set({
          progress: { ...get().progress, [progress.flowId]: progress },
          lastRuns: lastRun === undefined ? lastRuns : { ...lastRuns, [progress.flowId]: lastRun },
        });
        // The last event of a run carries its final status: the flow's state, cursor and last run
        // changed with it, and no flows.changed event says so.
        if (isFinished(progress.status) && get().loaded) {
          void get().refreshFlow(ops, progress.flowId);
          void fetchRun(ops, progress.runId);
        }
      },
      onFailure(event) {
        set({ liveFailures: [event, ...get().liveFailures].slice(0, LIVE_FAILURES_KEPT) });
      },
      onFreshness(event) {
        set({ freshness: { ...get().freshness, [event.flowId]: event } });
      },
      onEngineStatus(event) {
        set({ engine: event });
        // A restarted engine resumes runs under new ids: drop progress of runs that may never finish.
        if (event.state === 'restarting') {
          const progress = Object.fromEntries(
            Object.entries(get().progress).filter(([, value]) => isFinished(value.status)),
          );
          set({ progress });
        }
      },
      reset() {
        generation++;
        set(INITIAL);
      },
    };
  });
}

export const flowsStore = createFlowsStore();
