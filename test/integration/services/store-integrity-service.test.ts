import { afterEach, describe, expect, it } from 'vitest';
import { ServiceSupervisor } from '../../../main/app/services/service-supervisor.js';
import { storeIntegrityService } from '../../../main/app/services/store-integrity-service.js';
import type { IntegrityReport } from '../../../main/store/integrity/integrity-check.js';
import type { ServiceStatus, ServicesReport } from '../../../shared/contract/ops/service-ops.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { until } from '../../support/until.js';

const named = (services: readonly ServiceStatus[], name: string): ServiceStatus | undefined =>
  services.find((entry) => entry.name === name);

describe('the periodic full integrity check of the store', () => {
  let harness: TestCore | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('runs in the running console, through the store worker, and shows on services.status', async () => {
    harness = await startTestCore({ services: { webhookListener: false, integrityCheckEveryMs: 100 } });
    const caller = harness.admin;
    const status = await until('two full checks', async () => {
      const report: ServicesReport = await caller.value('services.status', {});
      const entry = named(report.services, 'store-integrity');
      return entry !== undefined && /^([2-9]|\d\d+) full checks/.test(entry.detail ?? '') ? entry : null;
    });
    expect(status).toMatchObject({ state: 'running', label: 'Store integrity check', lastError: null });
  });

  it('turns the service failed and reports the damage once a check finds some', async () => {
    const reports: IntegrityReport[] = [
      { ok: true, mode: 'full' },
      {
        ok: false,
        mode: 'full',
        problems: ['*** in database main ***', 'Page 7: btreeInitPage() returns error code 11'],
      },
    ];
    const damage: (readonly string[])[] = [];
    const supervisor = new ServiceSupervisor({ initialDelayMs: 10_000, failedAfter: 1 });
    supervisor.register(
      storeIntegrityService({
        check: () => Promise.resolve(reports.shift() ?? { ok: true, mode: 'full' }),
        onDamage: (problems) => damage.push(problems),
        everyMs: 20,
      }),
    );
    supervisor.startAll();
    const failed = await until('the service to fail', () => {
      const entry = named(supervisor.status(), 'store-integrity');
      return entry?.state === 'failed' ? entry : null;
    });
    expect(failed.lastError).toBe(
      'SQLite integrity_check found damage: *** in database main ***; Page 7: btreeInitPage() returns error code 11',
    );
    expect(damage).toEqual([['*** in database main ***', 'Page 7: btreeInitPage() returns error code 11']]);
    await supervisor.stopAll();
  });
});
