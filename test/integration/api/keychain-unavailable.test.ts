import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../support/test-core.js';

// This file runs in its own process (vitest forks per file): point the keychain library at a D-Bus
// address where nothing listens, as on a server with no Secret Service.
describe('connections when no OS keychain answers', () => {
  let harness: TestCore;
  const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
  beforeAll(async () => {
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/osc-test-bus';
    harness = await startTestCore();
  });
  afterAll(async () => {
    process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    await harness.close();
  });

  it('refuses to store a secret, says how to fix it, and stores it nowhere else', async () => {
    const connection = await harness.admin.value('connections.create', {
      name: 'Webhook out',
      settings: { kind: 'webhook-out', url: 'https://portal.example/hook' },
    });
    const result = await harness.admin.call('connections.setSecret', {
      id: connection.id,
      secret: 'hmac-never-stored',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('keychain-unavailable');
      expect(result.error.message).toMatch(
        /No unlocked OS keychain is reachable.*gnome-keyring.*never stored outside/s,
      );
    }
    const after = await harness.admin.value('connections.get', { id: connection.id });
    expect(after.secret.isSet).toBe(false);
    const audit = await harness.admin.value('audit.list', { limit: 3, action: 'connections.setSecret' });
    expect(audit.entries[0]).toMatchObject({ outcome: 'error' });
    expect(audit.entries[0]?.detail).toContain('keychain-unavailable');
    expect(JSON.stringify(audit)).not.toContain('hmac-never-stored');
  });
});
