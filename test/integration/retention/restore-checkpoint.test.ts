import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { auditRowHash, GENESIS_HASH } from '../../../main/store/audit/audit-hash.js';
import { writeAnchorAtomically } from '../../../main/store/audit/audit-head-anchor.js';
import { merkleRootOfRowHashes } from '../../../main/store/audit/checkpoints/merkle-tree.js';
import { backupAnchorPathFor } from '../../../main/store/backup/backup-location.js';
import { restoreBackup, RestoreRefusedError } from '../../../main/store/backup/restore-backup.js';
import { makeTempDir } from '../../support/temp-dir.js';

const quiet = { log: { warn: () => undefined } };
const AT = new Date('2026-12-02T10:00:00.000Z');
type Row = {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  outcome: 'ok';
  detail: string;
  hash: string;
};

/**
 * A backup that carries signed checkpoints (the audit_checkpoints table of migration 016) must match
 * its newest one: a log rebuilt from scratch below it (chain and anchor recomputed, so the chain
 * alone verifies) is refused.
 */
describe('restoring a backup with checkpoints', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dataDir: string;
  let backup: string;
  beforeEach(async () => {
    temp = makeTempDir('osc-restore-ckpt-');
    dataDir = join(temp.dir, 'data');
    const store = openStore({ dataDir, ...quiet });
    for (let i = 1; i <= 12; i += 1) {
      store.audit.append({
        actor: 'admin',
        action: 'flows.update',
        target: `flw-${i}`,
        outcome: 'ok',
        detail: { i },
      });
    }
    backup = (await store.backup('cli')).path;
    store.close();
    // The checkpoint the console would have signed at row #10 (signature checked elsewhere, by key).
    const db = new Database(backup);
    const hashes = db
      .prepare<[], { hash: string }>('SELECT hash FROM audit_log WHERE seq <= 10 ORDER BY seq')
      .all();
    db.prepare(
      "INSERT INTO audit_checkpoints VALUES (1, 'store', 10, ?, ?, ?, 'sig', 'key', 'scheduled', '[]')",
    ).run(hashes.at(-1)?.hash ?? '', merkleRootOfRowHashes(hashes.map((row) => row.hash)), AT.toISOString());
    db.close();
  });
  afterEach(() => temp.cleanup());

  it('restores a backup that matches its newest checkpoint', () => {
    expect(restoreBackup({ backupPath: backup, dataDir, at: AT })).toMatchObject({ auditRows: 12 });
  });

  it('refuses a backup whose log was rebuilt from scratch below its checkpoint (chain and anchor recomputed)', () => {
    const rebuilt = join(temp.dir, 'rebuilt.sqlite');
    copyFileSync(backup, rebuilt);
    const db = new Database(rebuilt);
    db.exec('DROP TRIGGER audit_log_no_update');
    const rows = db
      .prepare<[], Row>(
        'SELECT seq, at, actor, action, target, outcome, detail, hash FROM audit_log ORDER BY seq',
      )
      .all();
    let prev = GENESIS_HASH;
    const update = db.prepare('UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    for (const row of rows) {
      const actor = row.seq === 4 ? 'mallory' : row.actor;
      const hash = auditRowHash(prev, { ...row, actor });
      update.run(actor, prev, hash, row.seq);
      prev = hash;
    }
    db.close();
    writeAnchorAtomically(backupAnchorPathFor(rebuilt), { seq: rows.length, hash: prev });
    const before = readFileSync(join(dataDir, 'osc.sqlite'));

    let refusal: unknown;
    try {
      restoreBackup({ backupPath: rebuilt, dataDir, at: AT });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RestoreRefusedError);
    expect((refusal as RestoreRefusedError).code).toBe('backup-checkpoint');
    expect((refusal as Error).message).toMatch(/does not match its newest signed checkpoint \(#1, row #10\)/);
    expect(readFileSync(join(dataDir, 'osc.sqlite')).equals(before)).toBe(true);
  });
});
