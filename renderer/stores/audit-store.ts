import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import type { AuditEntry, AuditObject, AuditVerification } from '../../shared/domain/audit.js';
import { EMPTY_AUDIT_FILTER, filterInput, matchesFilter, type AuditFilter } from './audit-filter.js';
import { appendOlder, fromPage, prependLive } from './audit-merge.js';

export type { AuditFilter } from './audit-filter.js';
export { matchesFilter } from './audit-filter.js';

export interface AuditSlice {
  readonly entries: readonly AuditEntry[];
  readonly nextBeforeSeq: number | null;
  /** Names of the ids the rows mention (target and detail). */
  readonly objects: Readonly<Record<string, AuditObject>>;
  /** The last search stopped at its window bound, this row; older rows may still match. */
  readonly searchedDownToSeq: number | null;
  readonly filter: AuditFilter;
  readonly loading: boolean;
  readonly loaded: boolean;
  readonly error: string | null;
  readonly verification: AuditVerification | null;
  readonly verifying: boolean;
  /** Rows checked of total while a verification walks the log (live `audit.verifying` events). */
  readonly verifyProgress: { readonly done: number; readonly total: number } | null;
  readonly verifyError: string | null;
}

export interface AuditActions {
  loadNewest(ops: OperationFunctions): Promise<void>;
  loadOlder(ops: OperationFunctions): Promise<void>;
  setFilter(ops: OperationFunctions, filter: AuditFilter): Promise<void>;
  /**
   * A live `audit.appended` event carries the whole row: it is prepended without asking the server
   * again (reads are audited too, so a refetch per event would feed itself forever).
   */
  onAppended(event: Extract<LiveEvent, { type: 'audit.appended' }>): void;
  verify(ops: OperationFunctions): Promise<void>;
  /** Shown only while this console waits for its own verification (another console's is its own). */
  onVerifyProgress(event: Extract<LiveEvent, { type: 'audit.verifying' }>): void;
  reset(): void;
}

export type AuditStore = AuditSlice & AuditActions;

export const AUDIT_PAGE_SIZE = 100;

const INITIAL: AuditSlice = {
  entries: [],
  nextBeforeSeq: null,
  objects: {},
  searchedDownToSeq: null,
  filter: EMPTY_AUDIT_FILTER,
  loading: false,
  loaded: false,
  error: null,
  verification: null,
  verifying: false,
  verifyProgress: null,
  verifyError: null,
};

export function createAuditStore() {
  // Only the newest request may write entries: a filter change or reset makes older answers stale.
  let generation = 0;

  return createStore<AuditStore>()((set, get) => {
    return {
      ...INITIAL,
      async loadNewest(ops) {
        const request = ++generation;
        set({ loading: true });
        const result = await ops['audit.list']({ limit: AUDIT_PAGE_SIZE, ...filterInput(get().filter) });
        if (request !== generation) return;
        if (result.ok) {
          set({
            ...fromPage(result.value, AUDIT_PAGE_SIZE, get().entries),
            loading: false,
            loaded: true,
            error: null,
          });
        } else set({ loading: false, error: result.error.message });
      },
      async loadOlder(ops) {
        const { nextBeforeSeq, loading } = get();
        if (nextBeforeSeq === null || loading) return;
        const request = generation;
        set({ loading: true });
        const result = await ops['audit.list']({
          beforeSeq: nextBeforeSeq,
          limit: AUDIT_PAGE_SIZE,
          ...filterInput(get().filter),
        });
        if (request !== generation) return;
        if (result.ok)
          set({ ...appendOlder(get(), result.value, AUDIT_PAGE_SIZE), loading: false, error: null });
        else set({ loading: false, error: result.error.message });
      },
      async setFilter(ops, filter) {
        set({
          filter,
          entries: [],
          objects: {},
          searchedDownToSeq: null,
          nextBeforeSeq: null,
          loaded: false,
        });
        await get().loadNewest(ops);
      },
      onAppended(event) {
        // Kept even before the first page arrives: fromPage merges rows newer than the page.
        if (!matchesFilter(event.entry, get().filter, get().objects)) return;
        set(prependLive(get(), event.entry));
      },
      async verify(ops) {
        set({ verifying: true, verifyProgress: null, verifyError: null });
        const result = await ops['audit.verify']({});
        if (result.ok) set({ verification: result.value, verifying: false, verifyProgress: null });
        else
          set({
            verification: null,
            verifying: false,
            verifyProgress: null,
            verifyError: result.error.message,
          });
      },
      onVerifyProgress(event) {
        if (!get().verifying) return;
        set({ verifyProgress: { done: event.done, total: event.total } });
      },
      reset() {
        generation++;
        set(INITIAL);
      },
    };
  });
}

export const auditStore = createAuditStore();
