import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceSupervisor } from '../../../main/app/services/service-supervisor.js';
import { scheduledBackupService } from '../../../main/app/services/scheduled-backup-service.js';
import { pruneScheduledBackups } from '../../../main/store/backup/prune-scheduled-backups.js';
import type { AuditPage } from '../../../shared/domain/audit.js';
import type { ServicesReport } from '../../../shared/contract/ops/service-ops.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { until } from '../../support/until.js';

const scheduled = (dataDir: string): string[] =>
  readdirSync(join(dataDir, 'backups'))
    .filter((name) => /-scheduled(-\d+)?\.sqlite$/.test(name))
    .sort();

describe('scheduled backups of the store', () => {
  let harness: TestCore | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('run in the running console through the store worker, keep the newest N and are audited', async () => {
    harness = await startTestCore({
      services: { webhookListener: false, backupEveryMs: 150, scheduledBackupsKept: 2 },
    });
    const { dataDir, admin } = harness;
    // A backup taken by hand is never pruned by the schedule.
    const byHand: { path: string } = await admin.value('store.backup', {});
    await until('four scheduled backups', async () => {
      const report: ServicesReport = await admin.value('services.status', {});
      const entry = report.services.find((service) => service.name === 'scheduled-backup');
      return entry !== undefined && /^([4-9]|\d\d+) taken/.test(entry.detail ?? '') ? entry : null;
    });
    const kept = scheduled(dataDir);
    expect(kept).toHaveLength(2);
    for (const name of kept)
      expect(existsSync(join(dataDir, 'backups', name.replace(/\.sqlite$/, '.audit-head.json')))).toBe(true);
    expect(existsSync(byHand.path)).toBe(true);
    const page: AuditPage = await admin.value('audit.list', { limit: 200, action: 'store.backup-scheduled' });
    const backups = page.entries;
    expect(backups.length).toBeGreaterThanOrEqual(4);
    expect(backups[0]).toMatchObject({ actor: 'system', outcome: 'ok' });
    expect(backups.some((entry) => JSON.stringify(entry.detail).includes('-scheduled'))).toBe(true);
  });

  it('turns the service failed with the reason when a backup cannot be written', async () => {
    const seen: string[] = [];
    const supervisor = new ServiceSupervisor({ initialDelayMs: 10_000, failedAfter: 1 });
    supervisor.register(
      scheduledBackupService({
        backup: () => Promise.reject(new Error('SQLITE_FULL: database or disk is full')),
        prune: () => [],
        onBackup: (outcome) => seen.push(outcome.ok ? 'ok' : outcome.error),
        everyMs: 20,
      }),
    );
    supervisor.startAll();
    const failed = await until('the service to fail', () => {
      const entry = supervisor.status().find((service) => service.name === 'scheduled-backup');
      return entry?.state === 'failed' ? entry : null;
    });
    expect(failed.lastError).toBe('The scheduled backup failed: SQLITE_FULL: database or disk is full');
    expect(seen[0]).toBe('SQLITE_FULL: database or disk is full');
    await supervisor.stopAll();
  });

  it('prunes only the schedule’s own files, oldest first, with their anchors', () => {
    const { dir, cleanup } = makeTempDir('osc-prune-');
    try {
      const folder = join(dir, 'backups');
      mkdirSync(folder);
      const names = [
        'osc-2026-01-01T00-00-00.000Z-scheduled.sqlite',
        'osc-2026-01-02T00-00-00.000Z-scheduled.sqlite',
        'osc-2026-01-02T00-00-00.000Z-scheduled-1.sqlite',
        'osc-2026-01-03T00-00-00.000Z-scheduled.sqlite',
        'osc-2025-12-01T00-00-00.000Z-before-migration-6.sqlite',
        'osc-2025-12-02T00-00-00.000Z-cli.sqlite',
      ];
      for (const name of names) {
        writeFileSync(join(folder, name), 'x');
        writeFileSync(join(folder, name.replace(/\.sqlite$/, '.audit-head.json')), '{}');
      }
      const removed = pruneScheduledBackups(dir, 2).map((path) => path.slice(folder.length + 1));
      // Same millisecond: the "-1" one was taken after the plain one, so it is the newer.
      expect(removed).toEqual([
        'osc-2026-01-01T00-00-00.000Z-scheduled.sqlite',
        'osc-2026-01-02T00-00-00.000Z-scheduled.sqlite',
      ]);
      expect(readdirSync(folder).sort()).toEqual(
        [
          'osc-2026-01-02T00-00-00.000Z-scheduled-1.sqlite',
          'osc-2026-01-03T00-00-00.000Z-scheduled.sqlite',
          'osc-2025-12-01T00-00-00.000Z-before-migration-6.sqlite',
          'osc-2025-12-02T00-00-00.000Z-cli.sqlite',
        ]
          .flatMap((name) => [name, name.replace(/\.sqlite$/, '.audit-head.json')])
          .sort(),
      );
      expect(() => pruneScheduledBackups(dir, 0)).toThrow(RangeError);
    } finally {
      cleanup();
    }
  });
});
