import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportConfigCommand } from '../../../main/cli/commands/export-config.js';
import { flowsCommand } from '../../../main/cli/commands/flows.js';
import { importConfigCommand } from '../../../main/cli/commands/import-config.js';
import { runFlowCommand } from '../../../main/cli/commands/run-flow.js';
import { patientsMapping } from '../../peers/demo/demo-mappings.js';
import { seedStore, type SeededStore } from '../../peers/demo/seed-store.js';
import { startFhirEmulator, type FhirEmulator } from '../../peers/fhir/index.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { makeTempDir } from '../../support/temp-dir.js';

function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { out, text: () => text };
}

/** `osc flows`, `osc run-flow`, `osc export-config` and `osc import-config` on real stores and emulators. */
describe('engine CLI commands', () => {
  const temp = makeTempDir('osc-cli-engine-');
  const odooKey = randomBytes(16).toString('hex');
  const fhirToken = randomBytes(16).toString('hex');
  let odoo: OdooEmulator;
  let fhir: FhirEmulator;
  let seeded: SeededStore;
  const dataDir = join(temp.dir, 'console');
  const secrets = {
    read: (id: string) => Promise.resolve(id === seeded.connectionIds.EHR ? fhirToken : odooKey),
  };

  beforeAll(async () => {
    odoo = await startOdooEmulator({ apiKeys: [{ key: odooKey }] });
    fhir = await startFhirEmulator({ auth: { bearer: fhirToken } });
    seeded = seedStore(dataDir, {
      connections: {
        EHR: {
          kind: 'fhir',
          baseUrl: fhir.url,
          authMethod: 'bearer',
          username: '',
          allowInsecureHttp: true,
          pageSize: 50,
          overlapSeconds: 120,
          timeoutMs: 10_000,
        },
        Odoo: {
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
          timeoutMs: 10_000,
        },
      },
      mappings: { 'Patients mapping': patientsMapping },
      flows: {
        Patients: {
          source: 'EHR',
          sourceSelector: { resourceType: 'Patient' },
          target: 'Odoo',
          targetOperation: { model: 'res.partner' },
          mapping: 'Patients mapping',
        },
      },
    });
  });
  afterAll(async () => {
    await Promise.all([odoo.close(), fhir.close()]);
    temp.cleanup();
  });

  it('run-flow runs a flow by name and prints its counts; a second run writes nothing', async () => {
    const first = capture();
    expect(await runFlowCommand({ dataDir, flow: 'Patients', secrets }, first.out)).toBe(0);
    expect(first.text()).toMatch(/succeeded: read 60, mapped 60, unchanged 0, written 60, failed 0/);
    const second = capture();
    expect(await runFlowCommand({ dataDir, flow: seeded.flows.Patients!.id, secrets }, second.out)).toBe(0);
    expect(second.text()).toMatch(/written 0/);
    const list = capture();
    expect(await flowsCommand({ dataDir }, list.out)).toBe(0);
    expect(list.text()).toMatch(/Patients {2}\[idle\] {2}manual {2}last run succeeded/);
  });

  it('run-flow refuses an unknown flow, a bad backfill date and a missing store', async () => {
    expect(await runFlowCommand({ dataDir, flow: 'Nope', secrets }, capture().out)).toBe(2);
    expect(
      await runFlowCommand({ dataDir, flow: 'Patients', backfillFrom: 'yesterday', secrets }, capture().out),
    ).toBe(2);
    expect(await flowsCommand({ dataDir: join(temp.dir, 'missing') }, capture().out)).toBe(2);
  });

  it('export-config writes no secret; import-config recreates everything, mappings as drafts', async () => {
    const file = join(temp.dir, 'config.json');
    expect(await exportConfigCommand({ dataDir, out: file }, capture().out)).toBe(0);
    const text = (await import('node:fs')).readFileSync(file, 'utf8');
    expect(text).not.toContain(odooKey);
    expect(text).not.toContain(fhirToken);
    const other = join(temp.dir, 'other');
    const report = capture();
    expect(await importConfigCommand({ dataDir: other, file }, report.out)).toBe(0);
    expect(report.text()).toMatch(/created flow "Patients"/);
    expect(report.text()).toMatch(/to do: approve and activate mapping "Patients mapping" version 1/);
    const again = capture();
    expect(await importConfigCommand({ dataDir: other, file }, again.out)).toBe(0);
    expect(again.text()).toMatch(/skipped flow "Patients" \(exists\)/);
    expect(again.text()).toMatch(/mapping "Patients mapping" draft version 2/);
  });

  it('import-config refuses a malformed file and changes nothing', async () => {
    const bad = join(temp.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'osc.config/1', connections: 'nope' }));
    const out = capture();
    expect(await importConfigCommand({ dataDir: join(temp.dir, 'fresh'), file: bad }, out.out)).toBe(2);
    expect(out.text()).toMatch(/import refused/);
    writeFileSync(bad, '{not json');
    expect(await importConfigCommand({ dataDir: join(temp.dir, 'fresh'), file: bad }, capture().out)).toBe(2);
  });
});
