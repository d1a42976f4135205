import { repeatEvery } from '../../store/periodic-job.js';
import type { StoredCheckpoint } from '../../store/audit/checkpoints/checkpoint-repo.js';
import type { ServiceDefinition } from './service-supervisor.js';

/** Hourly: a tamperer's window between two signed heads is at most this long. */
export const DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS = 60 * 60_000;

export interface AuditCheckpointDeps {
  /** Signs a checkpoint of the head unless it is already checkpointed (null then). */
  readonly checkpoint: () => Promise<StoredCheckpoint | null>;
  /** Every checkpoint signed or refused: for the audit log and the log file. */
  readonly onCheckpoint: (
    outcome: { ok: true; checkpoint: StoredCheckpoint } | { ok: false; error: string },
  ) => void;
  readonly everyMs?: number;
}

/**
 * The running console's scheduled checkpoints. A refusal (the log no longer matches the last
 * checkpoint, a broken chain, a keychain out of reach) fails the service, so the Services section
 * turns red and says why; the supervisor retries at its backoff.
 */
export function auditCheckpointService(deps: AuditCheckpointDeps): ServiceDefinition {
  return {
    name: 'audit-checkpoint',
    label: 'Signed audit checkpoints',
    start(context) {
      let signed = 0;
      let last: StoredCheckpoint | null = null;
      const job = repeatEvery({
        run: deps.checkpoint,
        everyMs: deps.everyMs ?? DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS,
        onResult: (checkpoint) => {
          if (checkpoint === null) return;
          signed += 1;
          last = checkpoint;
          deps.onCheckpoint({ ok: true, checkpoint });
        },
        onError: (error) => {
          const message = error instanceof Error ? error.message : String(error);
          deps.onCheckpoint({ ok: false, error: message });
          context.died(new Error(`The audit checkpoint was not signed: ${message}`));
        },
      });
      return Promise.resolve({
        detail: () =>
          last === null
            ? 'none signed yet this run'
            : `${signed} signed this run, last at row #${last.checkpoint.seq}`,
        stop: () => job.stop(),
      });
    },
  };
}
