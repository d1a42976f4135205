import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import type { DowntimeProcedure, OutagesOverview } from '../../shared/domain/outage.js';

export type OutagesChangedEvent = Extract<LiveEvent, { type: 'outages.changed' }>;
export type ConnectionsChangedEvent = Extract<LiveEvent, { type: 'connections.changed' }>;
export type HoldsChangedEvent = Extract<LiveEvent, { type: 'holds.changed' }>;
/** The live events after which the overview is read again (a held batch is counted in the banner). */
export type OutageSignal = OutagesChangedEvent | ConnectionsChangedEvent | HoldsChangedEvent;

export interface OutagesSlice {
  readonly overview: OutagesOverview | null;
  /** Set once a load was asked for: live events refresh only what something has shown. */
  readonly loaded: boolean;
  readonly error: string | null;
  /**
   * The outage events answered by the current overview (a drain finished or got stuck): the
   * notifications read them next to the change from the previous overview.
   */
  readonly signals: readonly OutagesChangedEvent[];
  readonly procedure: DowntimeProcedure | null;
  readonly procedureError: string | null;
}

export interface OutagesActions {
  load(ops: OperationFunctions): Promise<void>;
  /** A live event: the overview is read again, at most once per throttle window. */
  onSignal(ops: OperationFunctions, event: OutageSignal): void;
  /** A run moved: when it drains an outbox, its progress bar is read again (throttled). */
  onRunProgress(ops: OperationFunctions, runId: string): void;
  loadProcedure(ops: OperationFunctions): Promise<void>;
  /** Each action answers the server's refusal in its own words, or null when it went through. */
  degrade(ops: OperationFunctions, connectionId: string, reason: string): Promise<string | null>;
  restore(ops: OperationFunctions, connectionId: string, note: string): Promise<string | null>;
  pauseDrain(ops: OperationFunctions, runId: string): Promise<string | null>;
  resumeDrain(ops: OperationFunctions, runId: string): Promise<string | null>;
  reset(): void;
}

export type OutagesStore = OutagesSlice & OutagesActions;

/** Live events can come in bursts (a drain moves every batch): one read per second at most. */
export const OUTAGES_THROTTLE_MS = 1000;

const INITIAL: OutagesSlice = {
  overview: null,
  loaded: false,
  error: null,
  signals: [],
  procedure: null,
  procedureError: null,
};

/** Whether anything is degraded or down: the banner shows, and the page polls (the exposure grows). */
export function isAnythingDown(overview: OutagesOverview | null): boolean {
  return (overview?.exposure.down.length ?? 0) > 0;
}

/** Whether writes of a batch held as anomalous wait for a human (issue 12): the banner says so. */
export function isAnythingHeld(overview: OutagesOverview | null): boolean {
  return (overview?.exposure.held ?? 0) > 0;
}

/** Whether an outbox is being sent: its progress bar moves. */
export function isAnyDrainActive(overview: OutagesOverview | null): boolean {
  return overview?.outbox.some((flow) => flow.drain !== null) ?? false;
}

export function createOutagesStore(now: () => number = Date.now) {
  // An older answer arriving late must not overwrite a newer one.
  let generation = 0;
  let lastLoadAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Outage events heard since the last request was sent; the next answer carries them.
  let pending: OutagesChangedEvent[] = [];

  return createStore<OutagesStore>()((set, get) => {
    function schedule(ops: OperationFunctions): void {
      if (timer !== null) return;
      const wait = lastLoadAt + OUTAGES_THROTTLE_MS - now();
      if (wait <= 0) {
        void get().load(ops);
        return;
      }
      timer = setTimeout(() => {
        timer = null;
        void get().load(ops);
      }, wait);
    }

    async function act(
      ops: OperationFunctions,
      call: () => Promise<{ ok: boolean; error?: { message: string } }>,
    ) {
      const result = await call();
      if (!result.ok) return result.error?.message ?? 'Refused';
      await get().load(ops);
      return null;
    }

    return {
      ...INITIAL,
      async load(ops) {
        const request = ++generation;
        lastLoadAt = now();
        const carried = pending;
        pending = [];
        set({ loaded: true });
        const result = await ops['outages.overview']({});
        if (request !== generation) {
          // A newer request answers instead; its answer carries these events too.
          pending = [...carried, ...pending];
          return;
        }
        if (result.ok) set({ overview: result.value, error: null, signals: carried });
        else {
          pending = [...carried, ...pending];
          set({ error: result.error.message });
        }
      },
      onSignal(ops, event) {
        if (!get().loaded) return;
        if (event.type === 'connections.changed' && event.change !== 'breaker') return;
        if (event.type === 'outages.changed') pending.push(event);
        schedule(ops);
      },
      onRunProgress(ops, runId) {
        const draining = get().overview?.outbox.some((flow) => flow.drain?.runId === runId) ?? false;
        if (draining) schedule(ops);
      },
      async loadProcedure(ops) {
        const result = await ops['outages.procedure']({});
        if (result.ok) set({ procedure: result.value, procedureError: null });
        else set({ procedureError: result.error.message });
      },
      degrade: (ops, connectionId, reason) =>
        act(ops, () => ops['outages.degrade']({ connectionId, reason })),
      restore: (ops, connectionId, note) =>
        act(ops, () =>
          ops['outages.restore'](note.trim() === '' ? { connectionId } : { connectionId, note: note.trim() }),
        ),
      pauseDrain: (ops, runId) => act(ops, () => ops['runs.pause']({ id: runId })),
      resumeDrain: (ops, runId) => act(ops, () => ops['runs.resume']({ id: runId })),
      reset() {
        generation++;
        if (timer !== null) clearTimeout(timer);
        timer = null;
        pending = [];
        lastLoadAt = Number.NEGATIVE_INFINITY;
        set(INITIAL);
      },
    };
  });
}

export const outagesStore = createOutagesStore();
