import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { KeychainVault } from '../../../main/vault/keychain-vault.js';
import { KEYCHAIN_TEST_SERVICE } from '../../support/test-caller.js';

// These tests use the real OS keychain: under `npm test` on Linux, a private gnome-keyring Secret
// Service inside dbus-run-session (scripts/test.mjs).
const run = promisify(execFile);

describe('keychain vault (real Secret Service)', () => {
  const namespace = `t${randomBytes(6).toString('hex')}`;
  const vault = new KeychainVault({ namespace, service: KEYCHAIN_TEST_SERVICE });
  const used: string[] = [];
  const id = (): string => {
    const value = `conn_${randomBytes(8).toString('hex')}`;
    used.push(value);
    return value;
  };

  afterEach(async () => {
    for (const connectionId of used.splice(0)) await vault.delete(connectionId);
  });

  it('sets, reads, rotates and deletes a secret', async () => {
    const connectionId = id();
    expect(await vault.has(connectionId)).toBe(false);
    await vault.set(connectionId, 'first-secret-value');
    expect(await vault.has(connectionId)).toBe(true);
    expect(await vault.read(connectionId)).toBe('first-secret-value');
    await vault.rotate(connectionId, 'second-secret-value');
    expect(await vault.read(connectionId)).toBe('second-secret-value');
    expect(await vault.delete(connectionId)).toBe(true);
    expect(await vault.read(connectionId)).toBeNull();
    expect(await vault.delete(connectionId)).toBe(false);
  });

  it('keeps namespaces apart', async () => {
    const connectionId = id();
    const other = new KeychainVault({ namespace: `${namespace}x`, service: KEYCHAIN_TEST_SERVICE });
    await vault.set(connectionId, 'only-in-the-first-store');
    expect(await other.read(connectionId)).toBeNull();
  });

  it('stores unicode and long secrets exactly', async () => {
    const connectionId = id();
    const secret = `ключ-🔑-${'x'.repeat(4000)}`;
    await vault.set(connectionId, secret);
    expect(await vault.read(connectionId)).toBe(secret);
  });

  it('refuses empty secrets and hostile ids without touching the keychain', async () => {
    await expect(vault.set(id(), '')).rejects.toThrow(/empty secret/);
    await expect(vault.read('../other/account')).rejects.toThrow(/connection id/);
    expect(() => new KeychainVault({ namespace: 'bad namespace!' })).toThrow(/namespace/);
  });

  it('fails with a clear, actionable error when no keychain answers, and never falls back', async () => {
    // A child process without a D-Bus session: the library can reach no Secret Service.
    const script = `
      import { KeychainVault } from './main/vault/keychain-vault.ts';
      const vault = new KeychainVault({ namespace: 'nokeychain', service: '${KEYCHAIN_TEST_SERVICE}' });
      try { await vault.set('conn_abcdefghij', 'never-stored-anywhere'); console.log('STORED'); }
      catch (error) { console.log(error.name + ': ' + error.message); }
    `;
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env,
      timeout: 30_000,
    });
    expect(stdout).toMatch(/^VaultUnavailableError: No OS keychain is reachable/);
    expect(stdout).toContain('apt install gnome-keyring');
    expect(stdout).not.toContain('never-stored-anywhere');
    expect(stdout).not.toContain('STORED');
  });
});
