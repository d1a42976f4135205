import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { backupAnchorPathFor } from '../../../main/store/backup/backup-location.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startServeProcess } from '../../support/serve-process.js';
import { OSC, osc } from '../cli-store/osc-process.js';

const quiet = { log: { warn: () => undefined } };
const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** `osc restore` run as its own process, as an operator runs it after stopping the console. */
describe('osc restore (the CLI process)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dataDir: string;
  let backup: string;
  beforeEach(async () => {
    temp = makeTempDir('osc-restore-cli-');
    dataDir = join(temp.dir, 'data');
    const store = openStore({ dataDir, ...quiet });
    for (let i = 1; i <= 20; i += 1) {
      store.audit.append({
        actor: 'admin',
        action: 'flows.update',
        target: `flw-${i}`,
        outcome: 'ok',
        detail: { i },
      });
    }
    backup = (await store.backup('cli')).path;
    store.audit.append({
      actor: 'admin',
      action: 'flows.update',
      target: 'after',
      outcome: 'ok',
      detail: {},
    });
    store.close();
  });
  afterEach(() => temp.cleanup());

  it('refuses a backup whose audit row was edited (exit 1), leaving the store as it was', async () => {
    const edited = join(temp.dir, 'edited.sqlite');
    copyFileSync(backup, edited);
    copyFileSync(backupAnchorPathFor(backup), backupAnchorPathFor(edited));
    const db = new Database(edited);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 7").run();
    db.close();
    const before = digest(join(dataDir, 'osc.sqlite'));

    const result = await osc(['restore', edited, '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^restore REFUSED: The audit log of .*edited\.sqlite is BROKEN at row #7: .*Nothing was changed\.\n$/,
    );
    expect(digest(join(dataDir, 'osc.sqlite'))).toBe(before);
    expect((await osc(['verify-audit', '--data-dir', dataDir])).stdout).toMatch(/^audit log OK: 21 rows/);
  });

  it('refuses while `osc serve` runs on the data dir (exit 3), restores once it stopped (exit 0)', async () => {
    const server = await startServeProcess(dataDir, ['--webhook-port', '0'], { osc: OSC });
    try {
      const refused = await osc(['restore', backup, '--data-dir', dataDir]);
      expect(refused.code).toBe(3);
      expect(refused.stdout).toMatch(
        /a console is running on it\): stop the console, then restore\. Nothing was changed\./,
      );
    } finally {
      await server.stop();
    }
    const restored = await osc(['restore', backup, '--data-dir', dataDir]);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^restored .*: integrity_check ok, audit log OK \(20 rows, head #20\)\n/);
    expect(restored.stdout).toMatch(/the store that was in place is kept as .*replaced\/osc-.*\.sqlite/);
    expect((await osc(['verify-audit', '--data-dir', dataDir])).stdout).toMatch(/^audit log OK: 20 rows/);
  });
});
