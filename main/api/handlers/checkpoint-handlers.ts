import type { AuditCheckpointView } from '../../../shared/contract/ops/checkpoint-ops.js';
import { ApiFailure } from '../../../shared/contract/result.js';
import { storeIdentity } from '../../app/store-identity.js';
import { CheckpointRepo, type StoredCheckpoint } from '../../store/audit/checkpoints/checkpoint-repo.js';
import { publicKeyOf, signCheckpointNow } from '../../store/audit/checkpoints/checkpoint-signer.js';
import {
  CHECKPOINTS_UNAVAILABLE,
  CheckpointRefusedError,
} from '../../store/audit/checkpoints/create-checkpoint.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type CheckpointHandlers = {
  readonly 'audit.checkpoint': Handler<'audit.checkpoint'>;
  readonly 'audit.checkpoints': Handler<'audit.checkpoints'>;
  readonly 'audit.publicKey': Handler<'audit.publicKey'>;
};

export function checkpointHandlers(services: Services): CheckpointHandlers {
  const repo = new CheckpointRepo(services.store.db);
  return {
    'audit.checkpoint': async (_input, call) => {
      let stored: StoredCheckpoint | null;
      try {
        stored = await signCheckpointNow(
          services.store.db,
          services.vault,
          storeIdentity(services.store.db),
          {
            reason: 'on-demand',
          },
        );
      } catch (error) {
        if (error instanceof Error && error.message === CHECKPOINTS_UNAVAILABLE) {
          throw new ApiFailure('unavailable', error.message);
        }
        if (error instanceof CheckpointRefusedError) {
          call.audit.detail = { refused: error.message, brokenSeq: error.brokenSeq };
          throw new ApiFailure('conflict', error.message);
        }
        throw error;
      }
      if (stored === null) throw new ApiFailure('conflict', 'no checkpoint was signed');
      // The witness (when one is configured) gets it now, not at its next tick.
      void services.witness.kick();
      call.audit.detail = {
        id: stored.id,
        seq: stored.checkpoint.seq,
        merkleRoot: stored.checkpoint.merkleRoot,
      };
      return view(stored);
    },
    'audit.checkpoints': (input) => {
      if (!repo.available()) throw new ApiFailure('unavailable', CHECKPOINTS_UNAVAILABLE);
      return { items: repo.list(input.limit, input.beforeId).map(view) };
    },
    'audit.publicKey': () => publicKeyOf(services.vault),
  };
}

/** Leaves out the Merkle frontier: internal bookkeeping, not part of the signed statement. */
function view(stored: StoredCheckpoint): AuditCheckpointView {
  const { id, reason, checkpoint, signature, keyId } = stored;
  return { id, reason, checkpoint, signature, keyId };
}
