import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';

const API_KEY = 'connections-test-operation-key-0001';

describe('connections.test through the API (real keychain, Odoo emulator)', () => {
  let harness: TestCore;
  let odoo: OdooEmulator;

  beforeAll(async () => {
    harness = await startTestCore();
    odoo = await startOdooEmulator({ apiKeys: [{ key: API_KEY }] });
  });
  afterAll(async () => {
    await odoo.close();
    await harness.close();
  });

  async function odooConnection(name: string, database = odoo.state.database) {
    return harness.admin.value('connections.create', {
      name,
      settings: { kind: 'odoo', baseUrl: odoo.url, database, login: 'admin', allowInsecureHttp: true },
    });
  }

  it('reports success with the secret read from the keychain, and audits only the verdict', async () => {
    const connection = await odooConnection('Test Odoo');
    await harness.admin.value('connections.setSecret', { id: connection.id, secret: API_KEY });
    const result = await harness.admin.value('connections.test', {
      id: connection.id,
      models: ['res.partner'],
    });
    expect(result.ok, result.summary).toBe(true);
    expect(result.facts).toMatchObject({ protocol: 'json-rpc' });
    const audit = await harness.admin.value('audit.list', { limit: 1, action: 'connections.test' });
    expect(audit.entries[0]?.detail).toContain('"ok":true');
    expect(JSON.stringify([result, audit])).not.toContain(API_KEY);
  });

  it('checks the rights of the flows that use the connection, from their mapping', async () => {
    const connection = await odooConnection('Odoo with flows');
    await harness.admin.value('connections.setSecret', { id: connection.id, secret: API_KEY });
    const ehr = await harness.admin.value('connections.create', {
      name: 'EHR for the rights test',
      settings: { kind: 'fhir', baseUrl: 'http://127.0.0.1:9/fhir', allowInsecureHttp: true },
    });
    // A draft mapping is enough: the flow will run with it once it is approved.
    const mapping = await harness.admin.value('mappings.create', {
      name: 'Charge → invoice (rights test)',
      spec: {
        key: 'id',
        fields: [
          { target: 'move_type', expression: '"out_invoice"' },
          { target: 'invoice_line_ids', expression: '[{"name": code, "product_id/id": product}]' },
        ],
        references: [{ field: 'partner_id', expression: 'patient' }],
      },
      note: 'rights test',
    });
    await harness.admin.value('flows.create', {
      name: 'Charges → invoices',
      sourceConnectionId: ehr.id,
      sourceSelector: { resourceType: 'ChargeItem' },
      targetConnectionId: connection.id,
      targetOperation: { model: 'account.move', kind: 'upsert' },
      mappingId: mapping.id,
    });
    const result = await harness.admin.value('connections.test', { id: connection.id });
    expect(result.ok, result.summary).toBe(true);
    expect(result.checks.find((check) => check.id === 'access:account.move.line:create')?.message).toBe(
      "admin may create account.move.line (flow 'Charges → invoices' (lines in invoice_line_ids))",
    );
    expect(result.checks.map((check) => check.id)).toEqual(
      expect.arrayContaining(['access:product.product:read', 'access:res.partner:read']),
    );
    expect(result.summary).toContain('that 1 flow(s) need');
  });

  it('says exactly what is wrong: no secret, wrong database, missing folder', async () => {
    const noSecret = await odooConnection('Odoo without key');
    const missing = await harness.admin.value('connections.test', { id: noSecret.id });
    expect(missing.ok).toBe(false);
    expect(missing.summary.length).toBeGreaterThan(10);

    const wrongDb = await odooConnection('Odoo wrong db', 'no_such_db');
    await harness.admin.value('connections.setSecret', { id: wrongDb.id, secret: API_KEY });
    const db = await harness.admin.value('connections.test', { id: wrongDb.id });
    expect(db.ok).toBe(false);
    expect(db.checks.find((check) => check.status === 'failed')?.id).toMatch(/database/);

    const drop = await harness.admin.value('connections.create', {
      name: 'Drop',
      settings: {
        kind: 'csv-drop',
        folder: join(mkdtempSync(join(tmpdir(), 'osc-drop-')), 'missing'),
        archiveFolder: tmpdir(),
        rejectedFolder: tmpdir(),
      },
    });
    const csv = await harness.admin.value('connections.test', { id: drop.id });
    expect(csv.ok).toBe(false);
    expect(csv.checks[0]).toMatchObject({ id: 'folder:exists', status: 'failed' });

    const hook = await harness.admin.value('connections.create', {
      name: 'Lab events',
      settings: { kind: 'webhook-in', sourceName: 'lab' },
    });
    const inbound = await harness.admin.value('connections.test', { id: hook.id });
    expect([inbound.ok, inbound.checks[0]?.id]).toEqual([false, 'secret']);
    await harness.admin.value('connections.setSecret', { id: hook.id, secret: 'lab-hmac-secret' });
    expect((await harness.admin.value('connections.test', { id: hook.id })).ok).toBe(true);
  });
});
