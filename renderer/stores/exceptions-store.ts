import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import type {
  ExceptionClass,
  ExceptionCounts,
  ExceptionDetail,
  ExceptionFilter,
  ExceptionGroup,
  ExceptionState,
  ExceptionSummary,
  ReplayStarted,
} from '../../shared/domain/exception.js';

export type ExceptionsChangedEvent = Extract<LiveEvent, { type: 'exceptions.changed' }>;

/** The inbox's age filter, turned into created-before/after instants when a list is asked for. */
export const AGE_CHOICES = ['any', 'last-day', 'older-than-day', 'older-than-week'] as const;
export type AgeChoice = (typeof AGE_CHOICES)[number];

/** What the filter bar holds; `assignee` null means "unassigned", undefined "anyone". */
export interface InboxFilter {
  readonly flowId?: string | undefined;
  readonly class?: ExceptionClass | undefined;
  readonly state?: ExceptionState | undefined;
  readonly assignee?: string | null | undefined;
  readonly text?: string | undefined;
  readonly age?: AgeChoice | undefined;
  readonly signature?: string | undefined;
}

export type InboxMode = 'list' | 'groups';
export type BulkAction = 'assign' | 'ignore';

export interface BulkProgress {
  readonly action: BulkAction;
  readonly total: number;
  readonly done: number;
  readonly failures: readonly { readonly id: string; readonly message: string }[];
  readonly running: boolean;
}

/** What a retry sends: chosen ids or one group (the contract's selection, a filter aside). */
export type RetrySelection = { readonly ids: readonly string[] } | { readonly signature: string };

/** A retry's or replay's answer: the runs queued, or the server's refusal in its own words. */
export type ReplayAnswer =
  { readonly ok: true; readonly started: ReplayStarted } | { readonly ok: false; readonly error: string };

/** What a re-check of a reconciliation difference found: the flow's differences, this one's state. */
export type RecheckAnswer =
  | { readonly ok: true; readonly differencesFound: number; readonly state: ExceptionState | null }
  | { readonly ok: false; readonly error: string };

export interface ExceptionsSlice {
  readonly filter: InboxFilter;
  readonly mode: InboxMode;
  /** Set once the page asked for a list: live events refresh only what is on screen. */
  readonly loaded: boolean;
  readonly items: readonly ExceptionSummary[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly groups: readonly ExceptionGroup[];
  /** Open and dead per flow: the navigation badge and the flows page read them. */
  readonly counts: readonly ExceptionCounts[];
  readonly countsLoaded: boolean;
  readonly selectedId: string | null;
  /** The exception whose detail (payloads) is open; null while none is. */
  readonly detail: ExceptionDetail | null;
  readonly detailLoading: boolean;
  readonly detailError: string | null;
  /** Ticked for a bulk action. */
  readonly checked: readonly string[];
  readonly bulk: BulkProgress | null;
}

export interface ExceptionsActions {
  load(ops: OperationFunctions): Promise<void>;
  loadMore(ops: OperationFunctions): Promise<void>;
  setFilter(ops: OperationFunctions, patch: Partial<InboxFilter>): Promise<void>;
  setMode(ops: OperationFunctions, mode: InboxMode): Promise<void>;
  loadCounts(ops: OperationFunctions): Promise<void>;
  select(id: string | null): void;
  /** Moves the selection by `delta` rows (keyboard triage), staying inside the list. */
  move(delta: number): void;
  openDetail(ops: OperationFunctions, id: string): Promise<void>;
  closeDetail(): void;
  toggleChecked(id: string): void;
  setChecked(ids: readonly string[]): void;
  /** Each action answers an error message, or null when it went through. */
  assign(ops: OperationFunctions, id: string, assignee: string | null): Promise<string | null>;
  note(ops: OperationFunctions, id: string, text: string): Promise<string | null>;
  ignore(ops: OperationFunctions, id: string, reason: string): Promise<string | null>;
  /** One `exceptions.retry` call for the whole selection (the server sends at most 10,000). */
  retry(ops: OperationFunctions, selection: RetrySelection): Promise<ReplayAnswer>;
  /** Edit and replay: the edited record is checked by the server with the active mapping first. */
  replay(ops: OperationFunctions, id: string, sourcePayload: Record<string, unknown>): Promise<ReplayAnswer>;
  /**
   * A reconciliation difference has no record to send again: it is checked again (the flow's
   * reconciliation), which settles it once Odoo and the source agree. Answers a message.
   */
  recheck(ops: OperationFunctions, id: string, flowId: string): Promise<RecheckAnswer>;
  /** One call per id, in order, with progress and each failure kept (the server checks each one). */
  runBulk(ops: OperationFunctions, action: BulkAction, ids: readonly string[], value: string): Promise<void>;
  clearBulk(): void;
  onChanged(ops: OperationFunctions, event: ExceptionsChangedEvent): void;
  reset(): void;
}

export type ExceptionsStore = ExceptionsSlice & ExceptionsActions;

export const EXCEPTIONS_PAGE_SIZE = 100;
const DAY_MS = 24 * 60 * 60_000;

const INITIAL: ExceptionsSlice = {
  // The inbox opens on what still waits for someone.
  filter: { state: 'open' },
  mode: 'list',
  loaded: false,
  items: [],
  nextCursor: null,
  loading: false,
  error: null,
  groups: [],
  counts: [],
  countsLoaded: false,
  selectedId: null,
  detail: null,
  detailLoading: false,
  detailError: null,
  checked: [],
  bulk: null,
};

/** The contract's filter for the filter bar's choices; empty text is no filter. */
export function toQuery(filter: InboxFilter, now: Date = new Date()): ExceptionFilter {
  const query: { -readonly [K in keyof ExceptionFilter]: ExceptionFilter[K] } = {};
  if (filter.flowId !== undefined) query.flowId = filter.flowId;
  if (filter.class !== undefined) query.class = filter.class;
  if (filter.state !== undefined) query.state = filter.state;
  if (filter.assignee !== undefined) query.assignee = filter.assignee;
  if (filter.signature !== undefined) query.signature = filter.signature;
  const text = filter.text?.trim() ?? '';
  if (text !== '') query.text = text;
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  if (filter.age === 'last-day') query.createdAfter = ago(DAY_MS);
  if (filter.age === 'older-than-day') query.createdBefore = ago(DAY_MS);
  if (filter.age === 'older-than-week') query.createdBefore = ago(7 * DAY_MS);
  return query;
}

/** Open plus dead: every exception that waits for a person (the badge and the flow rows). */
export function waitingCount(counts: readonly ExceptionCounts[], flowId?: string): number {
  return counts
    .filter((count) => flowId === undefined || count.flowId === flowId)
    .reduce((sum, count) => sum + count.open + count.dead, 0);
}

export function createExceptionsStore() {
  // An answer to an older request (the filter changed meanwhile) must not be shown.
  let listGeneration = 0;
  let detailGeneration = 0;

  return createStore<ExceptionsStore>()((set, get) => {
    function replaceItem(summary: ExceptionSummary): void {
      set({ items: get().items.map((item) => (item.id === summary.id ? summary : item)) });
    }

    async function refreshDetail(ops: OperationFunctions, id: string): Promise<void> {
      if (get().detail?.id === id) await get().openDetail(ops, id);
    }

    return {
      ...INITIAL,
      async load(ops) {
        const request = ++listGeneration;
        const { filter, mode, items } = get();
        const query = toQuery(filter);
        // A refresh keeps as many rows as were loaded, so a live event does not shorten the list.
        const limit = Math.min(500, Math.max(EXCEPTIONS_PAGE_SIZE, items.length));
        set({ loading: true, loaded: true });
        const [list, groups] = await Promise.all([
          ops['exceptions.list']({ ...query, limit }),
          mode === 'groups' ? ops['exceptions.groups']({ ...query, limit: 200 }) : null,
        ]);
        if (request !== listGeneration) return;
        if (!list.ok) {
          set({ loading: false, error: list.error.message });
          return;
        }
        if (groups !== null && !groups.ok) {
          set({ loading: false, error: groups.error.message });
          return;
        }
        const ids = new Set(list.value.items.map((item) => item.id));
        const selectedId = get().selectedId;
        set({
          items: list.value.items,
          nextCursor: list.value.nextCursor,
          groups: groups === null ? get().groups : groups.value,
          loading: false,
          error: null,
          selectedId:
            selectedId !== null && ids.has(selectedId) ? selectedId : (list.value.items[0]?.id ?? null),
          checked: get().checked.filter((id) => ids.has(id)),
        });
      },
      async loadMore(ops) {
        const { nextCursor, loading, filter, items } = get();
        if (nextCursor === null || loading) return;
        const request = listGeneration;
        set({ loading: true });
        const result = await ops['exceptions.list']({
          ...toQuery(filter),
          cursor: nextCursor,
          limit: EXCEPTIONS_PAGE_SIZE,
        });
        if (request !== listGeneration) return;
        if (result.ok)
          set({
            items: [...items, ...result.value.items],
            nextCursor: result.value.nextCursor,
            loading: false,
          });
        else set({ loading: false, error: result.error.message });
      },
      async setFilter(ops, patch) {
        set({ filter: { ...get().filter, ...patch }, items: [], nextCursor: null, checked: [] });
        await get().load(ops);
      },
      async setMode(ops, mode) {
        set({ mode });
        await get().load(ops);
      },
      async loadCounts(ops) {
        const result = await ops['exceptions.counts']({});
        if (result.ok) set({ counts: result.value, countsLoaded: true });
      },
      select(id) {
        set({ selectedId: id });
      },
      move(delta) {
        const { items, selectedId } = get();
        if (items.length === 0) return;
        const at = items.findIndex((item) => item.id === selectedId);
        const next = at === -1 ? 0 : Math.min(items.length - 1, Math.max(0, at + delta));
        set({ selectedId: items[next]?.id ?? null });
      },
      async openDetail(ops, id) {
        const request = ++detailGeneration;
        set({ selectedId: id, detailLoading: true, detailError: null });
        if (get().detail?.id !== id) set({ detail: null });
        const result = await ops['exceptions.get']({ id });
        if (request !== detailGeneration) return;
        if (result.ok) set({ detail: result.value, detailLoading: false });
        else set({ detail: null, detailLoading: false, detailError: result.error.message });
      },
      closeDetail() {
        detailGeneration++;
        set({ detail: null, detailLoading: false, detailError: null });
      },
      toggleChecked(id) {
        const checked = get().checked;
        set({ checked: checked.includes(id) ? checked.filter((item) => item !== id) : [...checked, id] });
      },
      setChecked(ids) {
        set({ checked: [...ids] });
      },
      async assign(ops, id, assignee) {
        const result = await ops['exceptions.assign']({ id, assignee });
        if (!result.ok) return result.error.message;
        replaceItem(result.value);
        await refreshDetail(ops, id);
        return null;
      },
      async note(ops, id, text) {
        const result = await ops['exceptions.note']({ id, text });
        if (!result.ok) return result.error.message;
        await refreshDetail(ops, id);
        return null;
      },
      async ignore(ops, id, reason) {
        const result = await ops['exceptions.ignore']({ id, reason });
        if (!result.ok) return result.error.message;
        replaceItem(result.value);
        await refreshDetail(ops, id);
        return null;
      },
      async retry(ops, selection) {
        const input = 'ids' in selection ? { ids: [...selection.ids] } : { signature: selection.signature };
        const result = await ops['exceptions.retry'](input);
        if (!result.ok) return { ok: false, error: result.error.message };
        // The queued exceptions turn "retrying": show it without waiting for the live event.
        await Promise.all([get().load(ops), get().loadCounts(ops)]);
        const shown = get().detail;
        if (shown !== null) await refreshDetail(ops, shown.id);
        return { ok: true, started: result.value };
      },
      async recheck(ops, id, flowId) {
        const result = await ops['reconcile.run']({ flowId });
        if (!result.ok) return { ok: false, error: result.error.message };
        await Promise.all([get().load(ops), get().loadCounts(ops), refreshDetail(ops, id)]);
        const shown = get().detail;
        const state = shown?.id === id ? shown.state : null;
        return { ok: true, differencesFound: result.value.differencesFound, state };
      },
      async replay(ops, id, sourcePayload) {
        const result = await ops['exceptions.replay']({ id, sourcePayload });
        if (!result.ok) return { ok: false, error: result.error.message };
        await Promise.all([get().load(ops), refreshDetail(ops, id)]);
        return { ok: true, started: result.value };
      },
      async runBulk(ops, action, ids, value) {
        const failures: { id: string; message: string }[] = [];
        set({ bulk: { action, total: ids.length, done: 0, failures: [], running: true } });
        let done = 0;
        for (const id of ids) {
          const error =
            action === 'assign' ? await get().assign(ops, id, value) : await get().ignore(ops, id, value);
          done += 1;
          if (error !== null) failures.push({ id, message: error });
          set({
            bulk: { action, total: ids.length, done, failures: [...failures], running: done < ids.length },
          });
        }
        // The ones that went through leave the selection; the failed stay ticked to try again.
        set({ checked: failures.map((failure) => failure.id) });
        await Promise.all([get().load(ops), get().loadCounts(ops)]);
      },
      clearBulk() {
        set({ bulk: null });
      },
      onChanged(ops, event) {
        if (get().countsLoaded) void get().loadCounts(ops);
        // During a bulk action each step reloads once at the end, not once per item.
        if (get().loaded && get().bulk?.running !== true) void get().load(ops);
        const shown = get().detail;
        if (shown !== null && event.ids.includes(shown.id) && get().bulk?.running !== true)
          void get().openDetail(ops, shown.id);
      },
      reset() {
        listGeneration++;
        detailGeneration++;
        set(INITIAL);
      },
    };
  });
}

export const exceptionsStore = createExceptionsStore();
