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
