import type Database from 'better-sqlite3';
import { createPublicKey } from 'node:crypto';
import type { Vault } from '../../../vault/types.js';
import type { StoredCheckpoint } from './checkpoint-repo.js';
import { loadOrCreateSigningKey, publicKeyId, readPublicKeyPem } from './checkpoint-signing-key.js';
import { createCheckpoint, type CreateCheckpointOptions } from './create-checkpoint.js';

/** One checkpoint at a time per store connection: the schedule and an administrator may ask at once. */
const inFlight = new WeakMap<Database.Database, Promise<unknown>>();

/**
 * Signs a checkpoint in the running console: the rows are read in chunks with the thread yielded
 * between them (setImmediate), so a first checkpoint of a long log never stalls the window or HTTP.
 */
export function signCheckpointNow(
  db: Database.Database,
  vault: Vault,
  storeId: string,
  options: Pick<CreateCheckpointOptions, 'reason' | 'skipIfUnchanged'> & { readonly now?: () => Date },
): Promise<StoredCheckpoint | null> {
  const previous = inFlight.get(db) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      const key = await loadOrCreateSigningKey(vault);
      return createCheckpoint(db, {
        storeId,
        key,
        reason: options.reason,
        now: options.now ?? (() => new Date()),
        skipIfUnchanged: options.skipIfUnchanged,
        pause: () => new Promise((resolve) => setImmediate(resolve)),
      });
    });
  inFlight.set(db, next);
  return next;
}

export async function publicKeyOf(
  vault: Vault,
): Promise<{ publicKeyPem: string | null; keyId: string | null }> {
  const publicKeyPem = await readPublicKeyPem(vault);
  return { publicKeyPem, keyId: publicKeyPem === null ? null : publicKeyId(createPublicKey(publicKeyPem)) };
}
