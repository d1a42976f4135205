import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { storeIdentity } from '../../../main/app/store-identity.js';
import { auditRowHash, GENESIS_HASH } from '../../../main/store/audit/audit-hash.js';
import { writeAnchorAtomically } from '../../../main/store/audit/audit-head-anchor.js';
import { signCheckpointNow } from '../../../main/store/audit/checkpoints/checkpoint-signer.js';
import { exportCheckpointFile } from '../../../main/store/audit/checkpoints/export-checkpoint.js';
import { readPublicKeyPem } from '../../../main/store/audit/checkpoints/checkpoint-signing-key.js';
import { openStore } from '../../../main/store/open-store.js';
import { KeychainVault } from '../../../main/vault/keychain-vault.js';
import { KEYCHAIN_TEST_SERVICE } from '../../support/test-caller.js';

export interface CampaignStore {
  readonly dir: string;
  readonly dataDir: string;
  readonly checkpointFile: string;
  readonly publicKeyFile: string;
  readonly checkpointSeq: number;
  readonly rows: number;
}

/**
 * A store with `rows` audit rows written through the real audit log, a signed checkpoint of row
 * #checkpointSeq exported as an auditor keeps it, and a few rows appended after it.
 */
export async function buildCampaignStore(checkpointSeq = 300, after = 12): Promise<CampaignStore> {
  const dir = mkdtempSync(join(tmpdir(), 'osc-tamper-'));
  const dataDir = join(dir, 'original');
  const store = openStore({ dataDir });
  try {
    const append = (count: number, offset: number): void => {
      store.audit.appendMany(
        Array.from({ length: count }, (_, i) => ({
          actor: i % 3 === 0 ? 'admin' : 'system',
          action: ['flows.runNow', 'connections.update', 'store.backup-scheduled'][i % 3] ?? 'x',
          target: `row-${offset + i}`,
          outcome: i % 17 === 0 ? ('error' as const) : ('ok' as const),
          detail: { n: offset + i, note: `event ${offset + i}` },
        })),
      );
    };
    // The store's own rows at open are in the log too; fill up to checkpointSeq in batches.
    const existing = (store.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    for (let written = existing; written < checkpointSeq; written += 50) {
      append(Math.min(50, checkpointSeq - written), written);
    }
    const storeId = storeIdentity(store.db);
    const vault = new KeychainVault({ namespace: storeId, service: KEYCHAIN_TEST_SERVICE });
    const signed = await signCheckpointNow(store.db, vault, storeId, { reason: 'cli' });
    if (signed === null || signed.checkpoint.seq !== checkpointSeq)
      throw new Error('checkpoint not at the expected row');
    const publicKey = await readPublicKeyPem(vault);
    if (publicKey === null) throw new Error('no public key after signing');
    const checkpointFile = join(dir, 'checkpoint.json');
    writeFileSync(checkpointFile, JSON.stringify(exportCheckpointFile(store.db, signed, publicKey)));
    const publicKeyFile = join(dir, 'audit-public-key.pem');
    writeFileSync(publicKeyFile, publicKey);
    append(after, checkpointSeq);
    return { dir, dataDir, checkpointFile, publicKeyFile, checkpointSeq, rows: checkpointSeq + after };
  } finally {
    store.close();
  }
}

/** A fresh copy of the closed original data folder (store + anchor) to tamper with. */
export function copyStore(campaign: CampaignStore, name: string): string {
  const target = join(campaign.dir, name);
  mkdirSync(target, { mode: 0o700 });
  for (const file of ['osc.sqlite', 'audit-head.json']) {
    if (existsSync(join(campaign.dataDir, file)))
      copyFileSync(join(campaign.dataDir, file), join(target, file));
  }
  return target;
}

/** The attacker's raw connection: SQLite write access to the file, the append-only triggers dropped. */
export function tamper(dataDir: string, change: (db: Database.Database) => void): void {
  const db = new Database(join(dataDir, 'osc.sqlite'));
  try {
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.transaction(() => change(db))();
  } finally {
    db.close();
  }
}

/**
 * The strongest attacker without the private key: recomputes every row hash and prev_hash from
 * #fromSeq to the end, so the chain is consistent again, and rewrites the head anchor to match.
 */
export function rebuildChainFrom(db: Database.Database, dataDir: string, fromSeq: number): void {
  type Row = {
    seq: number;
    at: string;
    actor: string;
    action: string;
    target: string | null;
    outcome: 'ok' | 'denied' | 'error';
    detail: string;
  };
  const before = db
    .prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?')
    .get(fromSeq - 1);
  let prev = before?.hash ?? GENESIS_HASH;
  const rows = db
    .prepare<[number], Row>(
      'SELECT seq, at, actor, action, target, outcome, detail FROM audit_log WHERE seq >= ? ORDER BY seq',
    )
    .all(fromSeq);
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  let head = { seq: fromSeq - 1, hash: prev };
  for (const row of rows) {
    const hash = auditRowHash(prev, row);
    update.run(prev, hash, row.seq);
    prev = hash;
    head = { seq: row.seq, hash };
  }
  writeAnchorAtomically(join(dataDir, 'audit-head.json'), head);
}
