import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { storeIdentity } from '../../app/store-identity.js';
import { openStore } from '../../store/open-store.js';
import { openStoreReadOnly } from '../../store/open-store-read-only.js';
import { CheckpointRepo } from '../../store/audit/checkpoints/checkpoint-repo.js';
import {
  loadOrCreateSigningKey,
  readPublicKeyPem,
} from '../../store/audit/checkpoints/checkpoint-signing-key.js';
import { createCheckpoint } from '../../store/audit/checkpoints/create-checkpoint.js';
import { exportCheckpointFile } from '../../store/audit/checkpoints/export-checkpoint.js';
import { readStoreId } from '../../store/audit/checkpoints/store-id.js';
import { KeychainVault } from '../../vault/keychain-vault.js';

export interface CheckpointCliArgs {
  readonly dataDir: string;
  readonly out?: string | undefined;
  /** A stored checkpoint's id (export); the latest when absent. */
  readonly id?: number | undefined;
  /** Tests pass their own keychain service, as the core does. */
  readonly keychainService?: string | undefined;
}

/**
 * `osc audit-checkpoint [--out FILE]`: signs a checkpoint of the log head now (creating the store's
 * signing key in the keychain on first use), records it and an audit row, and with --out exports it.
 * Exit 0 signed, 1 refused (the log is broken or no longer matches the last checkpoint), 2 failed.
 */
export async function auditCheckpointCommand(
  args: CheckpointCliArgs,
  out: NodeJS.WritableStream,
): Promise<number> {
  const store = openStore({ dataDir: args.dataDir });
  try {
    const storeId = storeIdentity(store.db);
    const key = await loadOrCreateSigningKey(
      new KeychainVault({ namespace: storeId, service: args.keychainService }),
    );
    let stored;
    try {
      stored = await createCheckpoint(store.db, { storeId, key, reason: 'cli', now: () => new Date() });
    } catch (error) {
      out.write(`checkpoint NOT signed: ${(error as Error).message}\n`);
      store.audit.append({
        actor: `cli:${userInfo().username}`,
        action: 'audit.checkpoint',
        target: null,
        outcome: 'error',
        detail: { error: (error as Error).message },
      });
      return 1;
    }
    if (stored === null) return 2; // unreachable: only scheduled checkpoints skip
    const { seq, merkleRoot } = stored.checkpoint;
    store.audit.append({
      actor: `cli:${userInfo().username}`,
      action: 'audit.checkpoint',
      target: `checkpoint:${stored.id}`,
      outcome: 'ok',
      detail: { seq, merkleRoot, keyId: stored.keyId },
    });
    out.write(`checkpoint ${stored.id} signed: row #${seq}, Merkle root ${merkleRoot}\n`);
    if (args.out !== undefined) {
      writeFileSync(
        args.out,
        `${JSON.stringify(exportCheckpointFile(store.db, stored, key.publicKeyPem), null, 2)}\n`,
      );
      out.write(`exported to ${args.out}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}

/** `osc export-checkpoint [--id N] --out FILE`: a stored checkpoint as the file auditors keep (with tiles). */
export async function exportCheckpointCommand(
  args: CheckpointCliArgs,
  out: NodeJS.WritableStream,
): Promise<number> {
  if (args.out === undefined) {
    out.write('export-checkpoint needs --out FILE\n');
    return 2;
  }
  const db = openStoreReadOnly(args.dataDir);
  try {
    const repo = new CheckpointRepo(db);
    const stored = args.id === undefined ? repo.latest() : repo.get(args.id);
    if (stored === null) {
      out.write('no such checkpoint (osc audit-checkpoint signs one)\n');
      return 1;
    }
    const storeId = readStoreId(db);
    const publicKey = await readPublicKeyPem(
      new KeychainVault({ namespace: storeId, service: args.keychainService }),
    );
    writeFileSync(args.out, `${JSON.stringify(exportCheckpointFile(db, stored, publicKey), null, 2)}\n`);
    out.write(`checkpoint ${stored.id} (row #${stored.checkpoint.seq}) exported to ${args.out}\n`);
    return 0;
  } catch (error) {
    out.write(`export failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    db.close();
  }
}

/** `osc audit-public-key [--out FILE]`: the PEM public key that verifies this store's checkpoints. */
export async function auditPublicKeyCommand(
  args: CheckpointCliArgs,
  out: NodeJS.WritableStream,
): Promise<number> {
  const db = openStoreReadOnly(args.dataDir);
  let storeId: string;
  try {
    storeId = readStoreId(db);
  } finally {
    db.close();
  }
  const pem = await readPublicKeyPem(
    new KeychainVault({ namespace: storeId, service: args.keychainService }),
  );
  if (pem === null) {
    out.write('this store has no signing key yet: the first checkpoint creates it (osc audit-checkpoint)\n');
    return 1;
  }
  if (args.out === undefined) out.write(pem);
  else {
    writeFileSync(args.out, pem);
    out.write(`public key written to ${args.out}\n`);
  }
  return 0;
}
