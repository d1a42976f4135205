import type { WitnessView } from '../../../shared/contract/ops/witness-types.js';
import { ApiFailure } from '../../../shared/contract/result.js';
import { WitnessDeliveryRepo } from '../../audit/witness/witness-delivery-repo.js';
import {
  readWitnessSettings,
  WITNESS_SECRET_VAULT_ID,
  witnessUrl,
  writeWitnessSettings,
} from '../../audit/witness/witness-settings.js';
import { CheckpointRepo } from '../../store/audit/checkpoints/checkpoint-repo.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type WitnessHandlers = {
  readonly 'audit.witness': Handler<'audit.witness'>;
  readonly 'audit.setWitness': Handler<'audit.setWitness'>;
  readonly 'audit.pushWitnessNow': Handler<'audit.pushWitnessNow'>;
};

const WITNESS_UNAVAILABLE =
  'this store has no audit_witness_deliveries table: migration 018 is not applied, so no witness can be kept';
/** "Push now" answers after the pass or after this long, whichever is first (the page polls on). */
const PUSH_NOW_WAIT_MS = 10_000;
const SHOWN_DELIVERIES = 20;

/**
 * The checkpoint witness for administrators (issue 13). The signing secret goes to the OS keychain
 * and nowhere else: the dispatcher drops it from the audit row (secretFields), answers only say
 * whether one is saved. The URL passes the connectors' outbound policy (https, or http to this
 * machine; no credentials in it). Saving the witness retries what it refused or still owes at once.
 */
export function witnessHandlers(services: Services): WitnessHandlers {
  const repo = new WitnessDeliveryRepo(services.store.db);
  const checkpoints = new CheckpointRepo(services.store.db);
  const view = async (): Promise<WitnessView> => {
    if (!repo.available()) throw new ApiFailure('unavailable', WITNESS_UNAVAILABLE);
    return {
      url: readWitnessSettings(services.store.db)?.url ?? null,
      secretSaved: await services.vault.has(WITNESS_SECRET_VAULT_ID),
      deliveries: repo.latest(SHOWN_DELIVERIES),
    };
  };
  return {
    'audit.witness': () => view(),

    'audit.setWitness': async (input, call) => {
      if (!repo.available()) throw new ApiFailure('unavailable', WITNESS_UNAVAILABLE);
      const before = readWitnessSettings(services.store.db);
      call.audit.target = 'audit.witness';
      if (input.url === null) {
        writeWitnessSettings(services.store.db, null);
        await services.vault.delete(WITNESS_SECRET_VAULT_ID);
        call.audit.detail = { from: before === null ? null : new URL(before.url).origin, to: null };
        return view();
      }
      let url: URL;
      try {
        url = witnessUrl(input.url);
      } catch (error) {
        throw new ApiFailure('invalid-input', error instanceof Error ? error.message : String(error));
      }
      if (input.secret === undefined && !(await services.vault.has(WITNESS_SECRET_VAULT_ID))) {
        throw new ApiFailure(
          'invalid-input',
          'Enter the signing secret the witness checks the signature with.',
        );
      }
      // The secret first: the pusher must never find a URL without the secret to sign for it.
      if (input.secret !== undefined) await services.vault.set(WITNESS_SECRET_VAULT_ID, input.secret);
      // A new witness is owed checkpoints from the newest one on (not the whole history at once);
      // a changed URL or secret keeps what the old one was owed.
      const fromCheckpointId = before?.fromCheckpointId ?? checkpoints.latest()?.id ?? 0;
      writeWitnessSettings(services.store.db, { url: url.href, fromCheckpointId });
      const retried = repo.retryFailedAndWaiting();
      call.audit.detail = {
        from: before === null ? null : new URL(before.url).origin,
        to: url.origin,
        secretChanged: input.secret !== undefined,
        retried,
      };
      void services.witness.kick();
      return view();
    },

    'audit.pushWitnessNow': async (_input, call) => {
      if (!repo.available()) throw new ApiFailure('unavailable', WITNESS_UNAVAILABLE);
      if (readWitnessSettings(services.store.db) === null) {
        throw new ApiFailure('invalid-input', 'No witness is configured: save its URL and secret first.');
      }
      repo.makeDueNow();
      call.audit.target = 'audit.witness';
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        services.witness.kick(),
        new Promise((resolve) => (timer = setTimeout(resolve, PUSH_NOW_WAIT_MS))),
      ]);
      clearTimeout(timer);
      return view();
    },
  };
}
