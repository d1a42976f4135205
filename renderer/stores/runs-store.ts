import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { RecordFailure, Run, RunProgress } from '../../shared/domain/run.js';

export interface RunsSlice {
  /** The flow whose recent runs are shown; null while none is opened. */
  readonly flowId: string | null;
  readonly runs: readonly Run[];
  readonly loading: boolean;
  readonly error: string | null;
  /** The run whose failed records are shown; null while none is opened. */
  readonly failuresRunId: string | null;
  readonly failures: readonly RecordFailure[];
  /** Set while the server may hold more failures after the last one shown. */
  readonly moreFailures: boolean;
  readonly failuresLoading: boolean;
  readonly failuresError: string | null;
}

export interface RunsActions {
  openFlow(ops: OperationFunctions, flowId: string): Promise<void>;
  reload(ops: OperationFunctions): Promise<void>;
  closeFlow(): void;
  /** A run the server returned (run now, pause, cancel): shown at once, without another read. */
  upsertRun(run: Run): void;
  /** Live counts go into the shown row; a finished run is read again for its cursor and timing. */
  onProgress(ops: OperationFunctions, progress: RunProgress, finished: boolean): void;
  openFailures(ops: OperationFunctions, runId: string): Promise<void>;
  loadMoreFailures(ops: OperationFunctions): Promise<void>;
  closeFailures(): void;
  reset(): void;
}

export type RunsStore = RunsSlice & RunsActions;

export const RECENT_RUNS_SHOWN = 20;
export const FAILURES_PAGE_SIZE = 100;

const INITIAL: RunsSlice = {
  flowId: null,
  runs: [],
  loading: false,
  error: null,
  failuresRunId: null,
  failures: [],
  moreFailures: false,
  failuresLoading: false,
  failuresError: null,
};

function newestFirst(runs: readonly Run[]): Run[] {
  return [...runs].sort((a, b) => b.queuedAt.localeCompare(a.queuedAt) || b.id.localeCompare(a.id));
}

export function createRunsStore() {
  // A list answer for a flow that is no longer open (or an older request) must not be shown.
  let runsGeneration = 0;
  let failuresGeneration = 0;

  return createStore<RunsStore>()((set, get) => ({
    ...INITIAL,
    async openFlow(ops, flowId) {
      if (get().flowId !== flowId) set({ flowId, runs: [], error: null });
      await get().reload(ops);
    },
    async reload(ops) {
      const flowId = get().flowId;
      if (flowId === null) return;
      const request = ++runsGeneration;
      set({ loading: true });
      const result = await ops['runs.list']({ flowId, limit: RECENT_RUNS_SHOWN });
      if (request !== runsGeneration) return;
      if (result.ok) set({ runs: newestFirst(result.value), loading: false, error: null });
      else set({ loading: false, error: result.error.message });
    },
    closeFlow() {
      runsGeneration++;
      set({ flowId: null, runs: [], loading: false, error: null });
    },
    upsertRun(run) {
      if (run.flowId !== get().flowId) return;
      const rest = get().runs.filter((item) => item.id !== run.id);
      set({ runs: newestFirst([run, ...rest]).slice(0, RECENT_RUNS_SHOWN) });
    },
    onProgress(ops, progress, finished) {
      if (progress.flowId !== get().flowId) return;
      const known = get().runs.some((run) => run.id === progress.runId);
      if (finished || !known) {
        void get().reload(ops);
        return;
      }
      set({
        runs: get().runs.map((run) =>
          run.id === progress.runId ? { ...run, status: progress.status, counts: progress.counts } : run,
        ),
      });
    },
    async openFailures(ops, runId) {
      const request = ++failuresGeneration;
      set({
        failuresRunId: runId,
        failures: [],
        moreFailures: false,
        failuresLoading: true,
        failuresError: null,
      });
      const result = await ops['runs.failures']({ id: runId, limit: FAILURES_PAGE_SIZE });
      if (request !== failuresGeneration) return;
      if (result.ok)
        set({
          failures: result.value,
          moreFailures: result.value.length === FAILURES_PAGE_SIZE,
          failuresLoading: false,
        });
      else set({ failuresLoading: false, failuresError: result.error.message });
    },
    async loadMoreFailures(ops) {
      const { failuresRunId, failures, moreFailures, failuresLoading } = get();
      if (failuresRunId === null || !moreFailures || failuresLoading) return;
      const request = failuresGeneration;
      const afterId = failures.at(-1)?.id ?? 0;
      set({ failuresLoading: true });
      const result = await ops['runs.failures']({ id: failuresRunId, afterId, limit: FAILURES_PAGE_SIZE });
      if (request !== failuresGeneration) return;
      if (result.ok)
        set({
          failures: [...failures, ...result.value],
          moreFailures: result.value.length === FAILURES_PAGE_SIZE,
          failuresLoading: false,
        });
      else set({ failuresLoading: false, failuresError: result.error.message });
    },
    closeFailures() {
      failuresGeneration++;
      set({
        failuresRunId: null,
        failures: [],
        moreFailures: false,
        failuresLoading: false,
        failuresError: null,
      });
    },
    reset() {
      runsGeneration++;
      failuresGeneration++;
      set(INITIAL);
    },
  }));
}

export const runsStore = createRunsStore();
