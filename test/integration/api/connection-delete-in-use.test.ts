import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { storeIdentity } from '../../../main/app/store-identity.js';
import { KeychainVault } from '../../../main/vault/keychain-vault.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { ADMIN_PASSWORD, KEYCHAIN_TEST_SERVICE } from '../../support/test-caller.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { HttpSession, startTestServer } from '../../support/test-http.js';

const SECRET = 'delete-in-use-secret-value';

/** The core's own keychain entries (namespaced by the store's identity), read directly. */
function vaultOf(dataDir: string): KeychainVault {
  const db = new Database(join(dataDir, 'osc.sqlite'));
  try {
    return new KeychainVault({ namespace: storeIdentity(db), service: KEYCHAIN_TEST_SERVICE });
  } finally {
    db.close();
  }
}

/** An Odoo target with a secret, a FHIR source, and flows from one to the other. */
async function withFlows(harness: TestCore, flowNames: readonly string[]) {
  const odoo = await harness.admin.value('connections.create', {
    name: 'Clinic Odoo',
    settings: { kind: 'odoo', baseUrl: 'https://odoo.clinic.example', database: 'clinic', login: 'sync' },
  });
  await harness.admin.value('connections.setSecret', { id: odoo.id, secret: SECRET });
  const ehr = await harness.admin.value('connections.create', {
    name: 'EHR',
    settings: { kind: 'fhir', baseUrl: 'http://127.0.0.1:9/fhir', allowInsecureHttp: true },
  });
  const mapping = await harness.admin.value('mappings.create', {
    name: 'Patients → partners',
    spec: { key: 'id', fields: [{ target: 'name', expression: 'name' }] },
    note: 'delete test',
  });
  const flows = [];
  for (const name of flowNames) {
    flows.push(
      await harness.admin.value('flows.create', {
        name,
        sourceConnectionId: ehr.id,
        sourceSelector: { resourceType: 'Patient' },
        targetConnectionId: odoo.id,
        targetOperation: { model: 'res.partner', kind: 'upsert' },
        mappingId: mapping.id,
      }),
    );
  }
  return { odoo, ehr, flows };
}

describe('connections.delete while flows use the connection (issue 14)', () => {
  let harness: TestCore | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('refuses, naming every flow (enabled or not); nothing is deleted and the secret stays in the keychain', async () => {
    harness = await startTestCore();
    const { odoo, flows } = await withFlows(harness, ['Admissions', 'Discharges']);
    await harness.admin.value('flows.setEnabled', { id: flows[1]!.id, enabled: false });

    const usages = await harness.admin.value('connections.usages', { id: odoo.id });
    expect(usages).toEqual([
      { flowId: flows[0]!.id, flowName: 'Admissions', enabled: true, roles: ['target'] },
      { flowId: flows[1]!.id, flowName: 'Discharges', enabled: false, roles: ['target'] },
    ]);

    const refused = await harness.admin.call('connections.delete', { id: odoo.id });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('conflict');
    expect(refused.error.message).toBe(
      '2 flows use this connection: Admissions, Discharges (disabled). ' +
        'Change those flows, or delete with "pause these flows" to disable them first.',
    );
    const still = await harness.admin.value('connections.get', { id: odoo.id });
    expect(still.secret.isSet).toBe(true);
    expect(await vaultOf(harness.dataDir).read(odoo.id)).toBe(SECRET);
    const listed = await harness.admin.value('flows.list', {});
    expect(listed.map((flow) => [flow.name, flow.enabled])).toEqual([
      ['Admissions', true],
      ['Discharges', false],
    ]);
    const audit = await harness.admin.value('audit.list', { limit: 5, action: 'connections.delete' });
    expect(audit.entries[0]).toMatchObject({ outcome: 'error', target: odoo.id });
    expect(JSON.parse(audit.entries[0]!.detail)).toMatchObject({ usedBy: ['Admissions', 'Discharges'] });
  });

  it('with pauseFlows disables the flows and deletes the connection and its secret, audited and announced', async () => {
    harness = await startTestCore();
    const { odoo, ehr, flows } = await withFlows(harness, ['Admissions', 'Discharges', 'Transfers']);
    await harness.admin.value('flows.setEnabled', { id: flows[2]!.id, enabled: false });
    const heard: LiveEvent[] = [];
    const admin = harness.admin;
    harness.core.subscribe({ sessionId: () => admin.sessionId, deliver: (e) => void heard.push(e) });

    const deleted = await harness.admin.value('connections.delete', { id: odoo.id, pauseFlows: true });
    expect(deleted).toEqual({ id: odoo.id, pausedFlows: ['Admissions', 'Discharges'] });

    const gone = await harness.admin.call('connections.get', { id: odoo.id });
    expect(!gone.ok && gone.error.code).toBe('not-found');
    expect(await vaultOf(harness.dataDir).has(odoo.id)).toBe(false);
    const listed = await harness.admin.value('flows.list', {});
    expect(listed.map((flow) => [flow.name, flow.enabled, flow.state])).toEqual([
      ['Admissions', false, 'disabled'],
      ['Discharges', false, 'disabled'],
      ['Transfers', false, 'disabled'],
    ]);
    const audit = await harness.admin.value('audit.list', { limit: 5, action: 'connections.delete' });
    expect(audit.entries[0]).toMatchObject({ outcome: 'ok', target: odoo.id });
    expect(JSON.parse(audit.entries[0]!.detail)).toMatchObject({
      name: 'Clinic Odoo',
      usedBy: ['Admissions', 'Discharges', 'Transfers'],
      pausedFlows: ['Admissions', 'Discharges'],
    });
    expect(heard).toEqual(
      expect.arrayContaining([
        { type: 'flows.changed', id: flows[0]!.id, change: 'disabled' },
        { type: 'flows.changed', id: flows[1]!.id, change: 'disabled' },
        { type: 'connections.changed', id: odoo.id, change: 'deleted' },
      ]),
    );
    expect(heard.filter((e) => e.type === 'flows.changed')).toHaveLength(2);
    // The other connection, still used by the (paused) flows, is refused as before.
    const other = await harness.admin.call('connections.delete', { id: ehr.id });
    expect(!other.ok && other.error.message).toMatch(/^3 flows use this connection: /);
  });

  it('deletes an unused connection and its secret as before, with nothing paused', async () => {
    harness = await startTestCore();
    const { odoo } = await withFlows(harness, []);
    expect(await harness.admin.value('connections.usages', { id: odoo.id })).toEqual([]);
    expect(await harness.admin.value('connections.delete', { id: odoo.id })).toEqual({
      id: odoo.id,
      pausedFlows: [],
    });
    expect(await vaultOf(harness.dataDir).has(odoo.id)).toBe(false);
    expect(await harness.admin.value('connections.list', {})).toHaveLength(1);
  });

  it('over HTTP: 409 with the flow names; a pauseFlows that is not true/false is 400; then pause and delete', async () => {
    harness = await startTestCore();
    const { odoo } = await withFlows(harness, ['Admissions']);
    const server = await startTestServer(harness);
    try {
      const browser = new HttpSession(server.url);
      await browser.op('session.login', { username: 'admin', password: ADMIN_PASSWORD });
      const refused = await browser.op('connections.delete', { id: odoo.id });
      expect([refused.status, refused.json.error?.code]).toEqual([409, 'conflict']);
      expect(JSON.stringify(refused.json)).toContain('1 flow uses this connection: Admissions.');
      const malformed = await browser.op('connections.delete', { id: odoo.id, pauseFlows: 'yes' });
      expect([malformed.status, malformed.json.error?.code]).toEqual([400, 'invalid-input']);
      const deleted = await browser.op('connections.delete', { id: odoo.id, pauseFlows: true });
      expect([deleted.status, deleted.json.value]).toEqual([
        200,
        { id: odoo.id, pausedFlows: ['Admissions'] },
      ]);
    } finally {
      await server.close();
    }
  });
});
