import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { ExceptionFix } from '../../shared/domain/exception-fix.js';

/**
 * One-click fixes (map a code, retry when a referenced record exists) and how far each got. Fixes
 * carry no record payload, so the inbox keeps every active one to show beside its group and in the
 * detail pane; the `exceptions.changed` live event refreshes them as replays move on.
 */
export interface ExceptionFixesSlice {
  /** The fixes still waiting or replaying, newest first. */
  readonly active: readonly ExceptionFix[];
  /** The finished fixes of the open detail's signature (with `active` they are its whole history). */
  readonly forSignature: { readonly signature: string; readonly fixes: readonly ExceptionFix[] } | null;
  readonly loaded: boolean;
  readonly error: string | null;
}

/** A fix action's answer: the fix made (or joined), or the server's refusal. */
export type FixAnswer =
  { readonly ok: true; readonly fix: ExceptionFix } | { readonly ok: false; readonly error: string };

export interface ExceptionFixesActions {
  load(ops: OperationFunctions): Promise<void>;
  /** Loads the fixes of one signature (the open detail's group). */
  loadSignature(ops: OperationFunctions, signature: string): Promise<void>;
  mapCode(ops: OperationFunctions, id: string, value: string, note: string): Promise<FixAnswer>;
  retryWhenReferenced(
    ops: OperationFunctions,
    selection: { readonly id: string } | { readonly signature: string },
  ): Promise<FixAnswer>;
  /** Live event: refresh what was loaded. */
  onChanged(ops: OperationFunctions): void;
  reset(): void;
}

export type ExceptionFixesStore = ExceptionFixesSlice & ExceptionFixesActions;

const ACTIVE_LIMIT = 200;

const INITIAL: ExceptionFixesSlice = { active: [], forSignature: null, loaded: false, error: null };

/** The newest fix for a signature among those given (a newer one supersedes older ones). */
export function fixForSignature(fixes: readonly ExceptionFix[], signature: string): ExceptionFix | null {
  return (
    fixes
      .filter((fix) => fix.signature === signature)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null
  );
}

export function createExceptionFixesStore() {
  // An older answer (several events in a row) must not overwrite a newer one.
  let generation = 0;
  let signatureGeneration = 0;

  return createStore<ExceptionFixesStore>()((set, get) => {
    async function afterFix(ops: OperationFunctions, fix: ExceptionFix): Promise<void> {
      await Promise.all([get().load(ops), get().loadSignature(ops, fix.signature)]);
    }

    return {
      ...INITIAL,
      async load(ops) {
        const request = ++generation;
        const result = await ops['exceptions.fixes']({ active: true, limit: ACTIVE_LIMIT });
        if (request !== generation) return;
        if (result.ok) set({ active: result.value, loaded: true, error: null });
        else set({ error: result.error.message, loaded: true });
      },
      async loadSignature(ops, signature) {
        const request = ++signatureGeneration;
        const result = await ops['exceptions.fixes']({ signature, active: false, limit: 20 });
        if (request !== signatureGeneration) return;
        if (result.ok) set({ forSignature: { signature, fixes: result.value } });
        else set({ error: result.error.message });
      },
      async mapCode(ops, id, value, note) {
        const trimmed = note.trim();
        const result = await ops['exceptions.mapCode']({
          id,
          value,
          ...(trimmed === '' ? {} : { note: trimmed }),
        });
        if (!result.ok) return { ok: false, error: result.error.message };
        await afterFix(ops, result.value);
        return { ok: true, fix: result.value };
      },
      async retryWhenReferenced(ops, selection) {
        const input = 'id' in selection ? { id: selection.id } : { signature: selection.signature };
        const result = await ops['exceptions.retryWhenReferenced'](input);
        if (!result.ok) return { ok: false, error: result.error.message };
        await afterFix(ops, result.value);
        return { ok: true, fix: result.value };
      },
      onChanged(ops) {
        if (get().loaded) void get().load(ops);
        const shown = get().forSignature;
        if (shown !== null) void get().loadSignature(ops, shown.signature);
      },
      reset() {
        generation++;
        signatureGeneration++;
        set(INITIAL);
      },
    };
  });
}

export const exceptionFixesStore = createExceptionFixesStore();
