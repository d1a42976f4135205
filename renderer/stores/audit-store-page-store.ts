import { createStore } from 'zustand/vanilla';
import type { OperationFunctions } from '../../shared/contract/bridge.js';
import type { AuditCheckpointView } from '../../shared/contract/ops/checkpoint-ops.js';
import type { RetentionPass } from '../../shared/contract/ops/retention-ops.js';
import type { WitnessView } from '../../shared/contract/ops/witness-types.js';

export interface AuditStorePageState {
  readonly checkpoints: readonly AuditCheckpointView[];
  readonly publicKey: { readonly pem: string | null; readonly keyId: string | null };
  /** Administrators only; null until loaded (or for other roles). */
  readonly witness: WitnessView | null;
  /** undefined until loaded; null: payloads kept forever. */
  readonly payloadDays: number | null | undefined;
  readonly lastPrune: RetentionPass | null;
  readonly lastBackup: { readonly path: string; readonly bytes: number } | null;
  readonly loading: boolean;
  readonly error: string | null;
  load(ops: OperationFunctions, admin: boolean): Promise<void>;
  loadCheckpoints(ops: OperationFunctions): Promise<string | null>;
  signNow(ops: OperationFunctions): Promise<string | null>;
  refreshWitness(ops: OperationFunctions): Promise<string | null>;
  setWitness(ops: OperationFunctions, url: string | null, secret: string | undefined): Promise<string | null>;
  pushWitnessNow(ops: OperationFunctions): Promise<string | null>;
  setPayloadDays(ops: OperationFunctions, days: number | null): Promise<string | null>;
  pruneNow(ops: OperationFunctions): Promise<string | null>;
  backupNow(ops: OperationFunctions): Promise<string | null>;
  reset(): void;
}

const INITIAL = {
  checkpoints: [],
  publicKey: { pem: null, keyId: null },
  witness: null,
  payloadDays: undefined,
  lastPrune: null,
  lastBackup: null,
  loading: false,
  error: null,
} as const;

/**
 * The Audit store page (issue 13): signed checkpoints and the public key for every role that reads
 * the audit log; the witness, payload retention and backups for administrators. Each action answers
 * its error sentence (or null) so the control that started it can show it in place. The witness
 * secret passes through setWitness to the call and is never kept here.
 */
export function createAuditStorePageStore() {
  return createStore<AuditStorePageState>()((set, get) => ({
    ...INITIAL,
    async load(ops, admin) {
      set({ loading: true });
      const [checkpoints, key] = await Promise.all([
        ops['audit.checkpoints']({ limit: 50 }),
        ops['audit.publicKey']({}),
      ]);
      const errors: string[] = [];
      if (checkpoints.ok) set({ checkpoints: checkpoints.value.items });
      else errors.push(checkpoints.error.message);
      if (key.ok) set({ publicKey: { pem: key.value.publicKeyPem, keyId: key.value.keyId } });
      else errors.push(key.error.message);
      if (admin) {
        const [witness, retention] = await Promise.all([
          ops['audit.witness']({}),
          ops['retention.settings']({}),
        ]);
        if (witness.ok) set({ witness: witness.value });
        else errors.push(witness.error.message);
        if (retention.ok) set({ payloadDays: retention.value.payloadDays });
        else errors.push(retention.error.message);
      }
      set({ loading: false, error: errors[0] ?? null });
    },
    async loadCheckpoints(ops) {
      const [checkpoints, key] = await Promise.all([
        ops['audit.checkpoints']({ limit: 50 }),
        ops['audit.publicKey']({}),
      ]);
      if (key.ok) set({ publicKey: { pem: key.value.publicKeyPem, keyId: key.value.keyId } });
      if (!checkpoints.ok) return checkpoints.error.message;
      set({ checkpoints: checkpoints.value.items });
      return null;
    },
    async signNow(ops) {
      const signed = await ops['audit.checkpoint']({});
      if (!signed.ok) return signed.error.message;
      set({
        checkpoints: [signed.value, ...get().checkpoints.filter((item) => item.id !== signed.value.id)],
      });
      return get().loadCheckpoints(ops);
    },
    async refreshWitness(ops) {
      const witness = await ops['audit.witness']({});
      if (!witness.ok) return witness.error.message;
      set({ witness: witness.value });
      return null;
    },
    async setWitness(ops, url, secret) {
      const saved = await ops['audit.setWitness']({ url, ...(secret === undefined ? {} : { secret }) });
      if (!saved.ok) return saved.error.message;
      set({ witness: saved.value });
      return null;
    },
    async pushWitnessNow(ops) {
      const pushed = await ops['audit.pushWitnessNow']({});
      if (!pushed.ok) return pushed.error.message;
      set({ witness: pushed.value });
      return null;
    },
    async setPayloadDays(ops, days) {
      const saved = await ops['retention.setPayloadDays']({ payloadDays: days });
      if (!saved.ok) return saved.error.message;
      set({ payloadDays: saved.value.payloadDays });
      return null;
    },
    async pruneNow(ops) {
      const pass = await ops['retention.pruneNow']({});
      if (!pass.ok) return pass.error.message;
      set({ lastPrune: pass.value });
      return null;
    },
    async backupNow(ops) {
      const backup = await ops['store.backup']({});
      if (!backup.ok) return backup.error.message;
      set({ lastBackup: backup.value });
      return null;
    },
    reset() {
      set(INITIAL);
    },
  }));
}

export const auditStorePageStore = createAuditStorePageStore();
