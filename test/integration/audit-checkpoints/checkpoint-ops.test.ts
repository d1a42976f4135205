import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointSignatureValid } from '../../../main/store/audit/checkpoints/signed-checkpoint.js';
import { SIGNING_KEY_VAULT_ID } from '../../../main/store/audit/checkpoints/checkpoint-signing-key.js';
import { storeIdentity } from '../../../main/app/store-identity.js';
import { KeychainVault } from '../../../main/vault/keychain-vault.js';
import { KEYCHAIN_TEST_SERVICE } from '../../support/test-caller.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { until } from '../../support/until.js';

function storeIdOf(dataDir: string): string {
  const db = new Database(join(dataDir, 'osc.sqlite'));
  try {
    return storeIdentity(db);
  } finally {
    db.close();
  }
}

describe('signed checkpoints in the running console', () => {
  let harness: TestCore | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('an administrator signs one (audited), every role lists it and reads the key, the private key is nowhere else', async () => {
    harness = await startTestCore({ services: { webhookListener: false } });
    const storeId = storeIdOf(harness.dataDir);
    const { admin } = harness;
    const signed = await admin.value('audit.checkpoint', {});
    const { publicKeyPem, keyId } = await admin.value('audit.publicKey', {});
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(keyId).toBe(signed.keyId);
    expect(signed.checkpoint).toMatchObject({ storeId });
    expect(checkpointSignatureValid(signed, publicKeyPem ?? '')).toBe(true);

    const viewer = await harness.operator('auditor', ['viewer']);
    const listed = await viewer.value('audit.checkpoints', { limit: 10 });
    expect(listed.items.map((item) => item.id)).toEqual([signed.id]);
    expect(await viewer.value('audit.publicKey', {})).toEqual({ publicKeyPem, keyId });
    const refused = await viewer.call('audit.checkpoint', {});
    expect(refused.ok ? 'allowed' : refused.error.code).toBe('forbidden');

    const rows = await admin.value('audit.list', { limit: 20, action: 'audit.checkpoint' });
    const row = rows.entries.find((entry) => entry.outcome === 'ok');
    expect(JSON.parse(String(row?.detail))).toMatchObject({ id: signed.id, seq: signed.checkpoint.seq });

    // The private key: in the keychain, and in no answer, audit row or file of the data folder.
    const privatePem = await new KeychainVault({ namespace: storeId, service: KEYCHAIN_TEST_SERVICE }).read(
      SIGNING_KEY_VAULT_ID,
    );
    expect(privatePem).toMatch(/BEGIN PRIVATE KEY/);
    const secretBody = (privatePem ?? '').split('\n')[1] ?? 'unreachable';
    const answers = JSON.stringify([signed, listed, await admin.value('audit.list', { limit: 500 })]);
    expect(answers).not.toContain('PRIVATE KEY');
    expect(answers).not.toContain(secretBody);
    for (const file of readdirSync(harness.dataDir, { recursive: true, encoding: 'utf8' })) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(harness.dataDir, file));
      } catch {
        continue; // a folder
      }
      expect(bytes.includes('PRIVATE KEY'), file).toBe(false);
      expect(bytes.includes(secretBody), file).toBe(false);
    }
  });

  it('the schedule signs checkpoints, audits them and skips a head with nothing new but its own rows', async () => {
    harness = await startTestCore({ services: { webhookListener: false, auditCheckpointEveryMs: 250 } });
    const { admin } = harness;
    const first = await until('a scheduled checkpoint', async () => {
      const { items } = await admin.value('audit.checkpoints', { limit: 10 });
      // The first tick (250 ms) may come before startTestCore's setup row on a loaded machine: that
      // checkpoint of the empty log is fine, the test looks at one covering the setup.
      return items.find((item) => item.reason === 'scheduled' && item.checkpoint.seq > 0) ?? null;
    });
    // Listing is audited (audit.checkpoints), so the log moves and the schedule signs again.
    await until('a second scheduled checkpoint', async () => {
      const { items } = await admin.value('audit.checkpoints', { limit: 10 });
      return items.filter((item) => item.reason === 'scheduled').length >= 2 ? items : null;
    });
    const scheduledRows = await admin.value('audit.list', {
      limit: 50,
      action: 'audit.checkpoint-scheduled',
    });
    expect(scheduledRows.entries[0]).toMatchObject({ actor: 'system', outcome: 'ok' });
    expect(first.checkpoint.seq).toBeGreaterThan(0);
    // Quiet now (no calls): at most one more checkpoint (for the last listing), then none.
    const quiet = (await admin.value('audit.checkpoints', { limit: 100 })).items.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = (await admin.value('audit.checkpoints', { limit: 100 })).items.length;
    expect(after - quiet).toBeLessThanOrEqual(1);
  });

  it('a store without the checkpoints table answers unavailable, naming migration 016, and signs nothing', async () => {
    harness = await startTestCore({ services: { webhookListener: false } });
    const db = new Database(join(harness.dataDir, 'osc.sqlite'));
    db.exec('DROP TABLE IF EXISTS audit_checkpoints');
    db.close();
    for (const name of ['audit.checkpoint', 'audit.checkpoints'] as const) {
      const answer = await harness.admin.call(name, name === 'audit.checkpoint' ? {} : { limit: 5 });
      expect(answer.ok ? 'answered' : `${answer.error.code}: ${answer.error.message}`).toMatch(
        /^unavailable: .*migration 016/,
      );
    }
  });
});
