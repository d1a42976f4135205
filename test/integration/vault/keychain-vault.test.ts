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
    expect(stdout).toMatch(/^VaultUnavailableError: No unlocked OS keychain is reachable/);
    expect(stdout).toContain('apt install gnome-keyring');
    expect(stdout).not.toContain('never-stored-anywhere');
    expect(stdout).not.toContain('STORED');
  });

  it('fails fast and clearly when the Secret Service is running but locked (never unlocked)', async () => {
    // A private D-Bus session whose gnome-keyring was started but never unlocked: no one can answer
    // the unlock prompt, as on a server where the login keyring was never opened.
    const script = [
      'export XDG_DATA_HOME=$(mktemp -d)',
      'gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1',
      `exec "${process.execPath}" --import tsx --input-type=module -e "$PROBE"`,
    ].join('; ');
    const probe = `
      import { KeychainVault } from './main/vault/keychain-vault.ts';
      const vault = new KeychainVault({ namespace: 'lockedkeyring', service: '${KEYCHAIN_TEST_SERVICE}', timeoutMs: 5000 });
      const started = Date.now();
      try { await vault.set('conn_abcdefghij', 'never-stored-when-locked'); console.log('STORED'); }
      catch (error) { console.log(error.name + ' after ' + (Date.now() - started) + ' ms: ' + error.message); }
    `;
    const { stdout } = await run('dbus-run-session', ['--', 'sh', '-c', script], {
      env: { ...process.env, PROBE: probe },
      timeout: 30_000,
    });
    expect(stdout).toMatch(/^VaultUnavailableError after \d+ ms: No unlocked OS keychain is reachable/);
    expect(Number(/after (\d+) ms/.exec(stdout)?.[1])).toBeLessThanOrEqual(5_500);
    expect(stdout).not.toContain('never-stored-when-locked');
  });
});
