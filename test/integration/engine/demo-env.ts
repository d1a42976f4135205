import { randomBytes } from 'node:crypto';
import type { Run } from '../../../shared/domain/run.js';
import { FINISHED_RUN_STATUSES } from '../../../shared/domain/run.js';
import { startFhirEmulator, type FhirEmulator } from '../../peers/fhir/index.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { prepareDemoOdoo } from '../../peers/demo/prepare-odoo.js';
import {
  startSupplierPortal,
  writeDemoSupplierDrop,
  type SupplierPortal,
} from '../../peers/supplier-portal/index.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { join } from 'node:path';
import { seedDemoClinic, type DemoClinic } from '../../peers/demo/seed-demo-clinic.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import type { TestCaller } from '../../support/test-caller.js';

/** Two emulators, a real core (SQLite, keychain, engine worker) and the demo clinic seeded by hand-run flows. */
export interface DemoEnv {
  readonly odoo: OdooEmulator;
  readonly fhir: FhirEmulator;
  readonly portal: SupplierPortal;
  readonly dropFolder: string;
  readonly purchaseOrderIds: readonly number[];
  readonly harness: TestCore;
  readonly it: TestCaller;
  readonly clinic: DemoClinic;
  close(): Promise<void>;
}

export async function startDemoEnv(
  options: { bulkChargeItems?: number; batchSize?: number } = {},
): Promise<DemoEnv> {
  const apiKey = randomBytes(20).toString('hex');
  const token = randomBytes(20).toString('hex');
  const odoo = await startOdooEmulator({ apiKeys: [{ key: apiKey }] });
  const fhir = await startFhirEmulator({
    auth: { bearer: token },
    ...(options.bulkChargeItems === undefined ? {} : { bulkChargeItems: options.bulkChargeItems }),
  });
  const portalSecret = randomBytes(20).toString('hex');
  const portal = await startSupplierPortal({ secret: portalSecret });
  const drop = makeTempDir('osc-drop-');
  const dropFolder = join(drop.dir, 'incoming');
  await writeDemoSupplierDrop(dropFolder);
  const harness = await startTestCore();
  const closePeers = async (): Promise<void> => {
    await Promise.all([odoo.close(), fhir.close(), portal.close()]);
    drop.cleanup();
  };
  try {
    const it = await harness.operator('it', ['it-staff']);
    const odooSettings = {
      kind: 'odoo',
      baseUrl: odoo.url,
      database: odoo.state.database,
      login: 'admin',
      authMethod: 'api-key',
      protocol: 'auto',
      externalIdModule: 'osc_sync',
      allowInsecureHttp: true,
      maxConcurrentCalls: 2,
      maxCallsPerSecond: 100,
      timeoutMs: 30_000,
    } as const;
    const { purchaseOrderIds } = await prepareDemoOdoo(odooSettings, apiKey);
    const clinic = await seedDemoClinic(
      it,
      harness.admin,
      {
        odoo: { url: odoo.url, database: odoo.state.database, login: 'admin', apiKey },
        fhir: { url: fhir.url, token },
        supplierPortal: { url: portal.url, signingSecret: portalSecret },
        supplierDrop: { folder: dropFolder },
      },
      { schedules: 'manual', ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }) },
    );
    return {
      odoo,
      fhir,
      portal,
      dropFolder,
      purchaseOrderIds,
      harness,
      it,
      clinic,
      async close() {
        await harness.close();
        await closePeers();
      },
    };
  } catch (error) {
    await harness.close();
    await closePeers();
    throw error;
  }
}

/** Polls a run until it finishes; bounded in time. */
export async function waitForRun(caller: TestCaller, runId: string, timeoutMs = 60_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await caller.value('runs.get', { id: runId });
    if (FINISHED_RUN_STATUSES.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function runFlow(caller: TestCaller, flowId: string): Promise<Run> {
  const run = await caller.value('flows.runNow', { id: flowId });
  return waitForRun(caller, run.id);
}
