import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupCommand, formatBytes } from '../../../main/cli/commands/backup.js';
import { verifyAuditCommand } from '../../../main/cli/commands/verify-audit.js';
import { openStore } from '../../../main/store/open-store.js';
import { quietLog, sampleEntries, useTempDataDir } from '../store/temp-data-dir.js';
import { captureOutput } from './cli-output.js';

const temp = useTempDataDir();

describe('osc backup', () => {
  it('prints the path and size of a backup that verifies once restored', async () => {
    const store = openStore({ dataDir: temp.dataDir(), log: quietLog });
    store.audit.appendMany(sampleEntries(30));
    const out = captureOutput();
    try {
      // The console keeps running while the CLI backs it up.
      expect(await backupCommand({ dataDir: temp.dataDir() }, out.stream)).toBe(0);
    } finally {
      store.close();
    }
    const match = /^backup written: (.+-cli\.sqlite) \((.+)\)\n$/.exec(out.text());
    expect(match).not.toBeNull();
    const path = match![1]!;
    expect(match![2]).toContain(`${statSync(path).size} bytes`);

    const restored = join(temp.root(), 'restored');
    mkdirSync(restored);
    copyFileSync(path, join(restored, 'osc.sqlite'));
    copyFileSync(path.replace(/\.sqlite$/, '.audit-head.json'), join(restored, 'audit-head.json'));
    const verifyOut = captureOutput();
    expect(await verifyAuditCommand({ dataDir: restored }, verifyOut.stream)).toBe(0);
    expect(verifyOut.text()).toMatch(/^audit log OK: 30 rows, head #30 /);
  });

  it('exits 2 with the reason when there is no store', async () => {
    const out = captureOutput();
    expect(await backupCommand({ dataDir: join(temp.root(), 'none') }, out.stream)).toBe(2);
    expect(out.text()).toMatch(/^backup failed: There is no store at /);
  });

  it('formats sizes for people and keeps the exact byte count', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB, 1536 bytes');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB, 5368709120 bytes');
  });
});
