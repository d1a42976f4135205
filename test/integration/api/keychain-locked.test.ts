import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fhirAuthorization } from '../../../main/connectors/fhir/fhir-auth.js';
import { DeliveryStore } from '../../../main/connectors/webhook/delivery-store.js';
import { OutboundWebhookTarget } from '../../../main/connectors/webhook/outbound-webhook-target.js';
import { startWebhookListener } from '../../../main/connectors/webhook/webhook-listener.js';
import { InboundEventStore } from '../../../main/connectors/webhook/inbound-event-store.js';
import { VaultUnavailableError } from '../../../main/vault/vault-errors.js';
import type { SecretReader } from '../../../main/vault/types.js';
import type { ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import { createCore } from '../../../main/app/core.js';
import type { Core } from '../../../main/app/core-types.js';
import { createLogger } from '../../../main/log/logger.js';
import { ADMIN_PASSWORD, KEYCHAIN_TEST_SERVICE, TestCaller } from '../../support/test-caller.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { openPartnerTestDb } from '../webhook/partner-test-db.js';

/**
 * A secret is saved, then the keychain stops answering (locked, its daemon gone): every place that
 * reads the secret must say the keychain could not be read, never "no secret is saved" (which sends
 * the operator to re-enter a secret that is fine). The keychain is made unreachable the way
 * keychain-unavailable.test.ts does, by pointing D-Bus where nothing listens, but only after saving.
 */
const KEYCHAIN = /OS keychain could not be read/;
const MISSING = /No .* is saved|no signing secret|not-ready/i;
const execFileAsync = promisify(execFile);
const CHILD = resolve(import.meta.dirname, 'save-secrets-child.ts');

describe('connection tests when the keychain stops answering after a secret was saved', () => {
  let core: Core;
  let admin: TestCaller;
  let ids: Record<string, string>;
  const { dir, cleanup } = makeTempDir('osc-locked-');
  beforeAll(async () => {
    // The secrets are saved by another process while the keychain works; this process's keychain
    // library then connects to a bus where nothing answers (it keeps its first connection, so the
    // address is set before any keychain use in this file).
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dir], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    ids = JSON.parse(child.stdout) as Record<string, string>;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/osc-locked-bus';
    core = await createCore({
      dataDir: dir,
      keychainService: KEYCHAIN_TEST_SERVICE,
      logger: createLogger({ level: 'silent' }),
    });
    admin = new TestCaller(core, 'test:admin');
    await admin.value('session.login', { username: 'admin', password: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await core.close();
    cleanup();
  });

  it.each(['fhir', 'webhook-out', 'webhook-in'])('%s: the secret check names the keychain', async (kind) => {
    const result = await admin.call('connections.test', { id: ids[kind] });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const report = (result as { value: ConnectionTestResult }).value;
    const check = report.checks.find((entry) => entry.id === 'secret');
    expect(check?.status).toBe('failed');
    expect(check?.message).toMatch(KEYCHAIN);
    expect(check?.message).not.toMatch(MISSING);
  });
});

describe('the vault when the keychain is locked after a secret was saved', () => {
  it('says the keychain is locked instead of answering "no secret" (real gnome-keyring, locked)', async () => {
    // Its own D-Bus session: an unlocked gnome-keyring keeps a secret, then its collection is locked
    // over the Secret Service API, as a screen lock or `Lock` in Seahorse does.
    const vault = (code: string) => `
      import { KeychainVault } from './main/vault/keychain-vault.ts';
      const vault = new KeychainVault({ namespace: 'lockedlater', service: '${KEYCHAIN_TEST_SERVICE}', timeoutMs: 5000 });
      ${code}`;
    const script = [
      'export XDG_DATA_HOME=$(mktemp -d)',
      'printf locked-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1',
      `"${process.execPath}" --import tsx --input-type=module -e "$SAVE"`,
      'gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets --method org.freedesktop.Secret.Service.Lock "[\'/org/freedesktop/secrets/collection/login\']" >/dev/null',
      `exec "${process.execPath}" --import tsx --input-type=module -e "$READ"`,
    ].join(' && ');
    const save = vault(`await vault.set('conn_abcdefghij', 'saved-then-locked'); console.log('SAVED');`);
    const read = vault(`
      try { console.log('READ ' + JSON.stringify(await vault.read('conn_abcdefghij'))); }
      catch (error) { console.log(error.name + ': ' + error.reason); }`);
    const { stdout } = await execFileAsync('dbus-run-session', ['--', 'sh', '-c', script], {
      cwd: resolve(import.meta.dirname, '../../..'),
      env: { ...process.env, SAVE: save, READ: read },
      timeout: 30_000,
    });
    expect(stdout).toContain('SAVED');
    expect(stdout).not.toContain('READ null');
    expect(stdout).toMatch(/VaultUnavailableError: .*locked/i);
    expect(stdout).not.toContain('saved-then-locked');
  });
});

describe('connectors at run time when the keychain does not answer', () => {
  // The engine worker gets the keychain's failure relayed as a plain Error carrying its message.
  const relayed: SecretReader = {
    read: () => Promise.reject(new Error(new VaultUnavailableError('Cannot autolaunch D-Bus').message)),
  };
  const direct: SecretReader = {
    read: () => Promise.reject(new VaultUnavailableError('the collection is locked')),
  };
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it.each([
    ['relayed by the worker', relayed],
    ['read directly', direct],
  ])('FHIR requests fail as keychain-unavailable (%s), not as a missing token', async (_, secrets) => {
    const failure = await fhirAuthorization({ authMethod: 'bearer', username: '' }, 'conn_x', secrets).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'keychain-unavailable', class: 'transient' });
    expect((failure as Error).message).toMatch(KEYCHAIN);
  });

  it('an outbound webhook delivery fails as keychain-unavailable, not as a missing secret', async () => {
    const db = openPartnerTestDb();
    cleanups.push(() => db.cleanup());
    const target = new OutboundWebhookTarget({
      connectionId: 'conn_out',
      settings: {
        kind: 'webhook-out',
        url: 'http://127.0.0.1:9/hook',
        allowInsecureHttp: true,
        maxAttempts: 1,
        timeoutMs: 1000,
      },
      secrets: relayed,
      deliveries: new DeliveryStore(db.db),
    });
    const [outcome] = await target.write({
      operation: { eventType: 'purchase.order.approved' },
      records: [{ key: 'PO-1', payload: { po: 'PO-1' } }],
    });
    expect(outcome?.ok).toBe(false);
    expect(outcome && !outcome.ok && outcome.error).toMatchObject({ code: 'keychain-unavailable' });
  });

  it('the inbound listener answers 503 keychain-unavailable, not source-not-ready', async () => {
    const db = openPartnerTestDb();
    const listener = await startWebhookListener({
      events: new InboundEventStore(db.db),
      sources: () => ({
        connectionId: 'conn_in',
        settings: {
          kind: 'webhook-in',
          sourceName: 'billing',
          maxBodyBytes: 4096,
          clockSkewSeconds: 300,
          ratePerMinute: 600,
        },
      }),
      secrets: direct,
    });
    cleanups.push(
      () => db.cleanup(),
      () => listener.close(),
    );
    const response = await fetch(`${listener.url}/hooks/billing`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toBe('keychain-unavailable');
  });
});
