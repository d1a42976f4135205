import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCredentials } from '../../../shared/domain/connection-credentials.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';

const API_KEY = 'credential-status-key-000000000001';

/** Odoo datetime ('YYYY-MM-DD HH:MM:SS', UTC) this many hours from now. */
function odooTime(hoursFromNow: number): string {
  return new Date(Date.now() + hoursFromNow * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

describe('a connection keeps what Test connection learned about its key (Odoo 19 emulator, JSON-2)', () => {
  let harness: TestCore;
  let odoo: OdooEmulator;

  beforeAll(async () => {
    harness = await startTestCore();
    odoo = await startOdooEmulator({
      version: '19.0',
      apiKeys: [{ key: API_KEY, name: 'sync key', expiresAt: odooTime(3 * 24 + 2) }],
    });
  });
  afterAll(async () => {
    await odoo.close();
    await harness.close();
  });

  it('shows "expires in 3 days" on the connection after a test, and forgets it with a new secret', async () => {
    const created = await harness.admin.value('connections.create', {
      name: 'Odoo 19',
      settings: {
        kind: 'odoo',
        baseUrl: odoo.url,
        database: odoo.state.database,
        login: 'admin',
        allowInsecureHttp: true,
      },
    });
    expect(created.credentials).toEqual({
      keyExpiresAt: null,
      keyName: null,
      keyCheckedAt: null,
      refused: null,
    });
    await harness.admin.value('connections.setSecret', { id: created.id, secret: API_KEY });
    const result = await harness.admin.value('connections.test', { id: created.id });
    expect(result.facts).toMatchObject({ protocol: 'json-2', keyName: 'sync key' });

    const [listed] = (await harness.admin.value('connections.list', {})).filter((c) => c.id === created.id);
    expect(listed?.credentials.keyName).toBe('sync key');
    expect(listed?.credentials.keyCheckedAt).not.toBeNull();
    const notice = describeCredentials(listed!.credentials, new Date());
    expect(notice).toMatchObject({ tone: 'warning', text: 'expires in 3 days' });
    // What the viewer role sees too (every role may list connections), and never the key itself.
    const viewer = await harness.operator('viewer1', ['viewer']);
    expect(JSON.stringify(await viewer.value('connections.get', { id: created.id }))).toContain(
      listed!.credentials.keyExpiresAt!,
    );
    expect(JSON.stringify(listed)).not.toContain(API_KEY);

    await harness.admin.value('connections.setSecret', { id: created.id, secret: `${API_KEY}-new` });
    const after = await harness.admin.value('connections.get', { id: created.id });
    expect(after.credentials.keyExpiresAt).toBeNull();
  });
});
