import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../main/app/core.js';
import type { Core } from '../../../main/app/core-types.js';
import { auditCheckpointCommand } from '../../../main/cli/commands/audit-checkpoint.js';
import { createLogger } from '../../../main/log/logger.js';
import { checkpointSignatureValid } from '../../../main/store/audit/checkpoints/signed-checkpoint.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { ADMIN_PASSWORD, KEYCHAIN_TEST_SERVICE, TestCaller } from '../../support/test-caller.js';
import { until } from '../../support/until.js';
import { WitnessReceiver } from '../../support/witness-receiver.js';

const SECRET = 'witness-signing-secret-0123456789';

/**
 * The checkpoint witness through the running product (createCore: the same services `osc serve`,
 * the demo and the app start): every signed checkpoint reaches a receiver on 127.0.0.1 that checks
 * the HMAC itself; while the receiver is down the delivery waits, pending in the store, and goes out
 * once it is back, also across a restart of the console; each delivery and failure is audited.
 */
describe('the checkpoint witness', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let receiver: WitnessReceiver;
  let core: Core | null = null;
  beforeEach(async () => {
    temp = makeTempDir('osc-witness-');
    receiver = new WitnessReceiver(SECRET);
    await receiver.start();
  });
  afterEach(async () => {
    await core?.close();
    core = null;
    await receiver.stop();
    temp.cleanup();
  });

  const start = (): Promise<Core> =>
    createCore({
      dataDir: temp.dir,
      keychainService: KEYCHAIN_TEST_SERVICE,
      logger: createLogger({ level: 'silent' }),
      services: {
        webhookListener: false,
        auditWitnessEveryMs: 100,
        auditWitnessTiming: { baseDelayMs: 20, maxDelayMs: 50, maxWaitBetweenPassesMs: 200, timeoutMs: 2000 },
      },
    });

  const auditRows = (action: string): { actor: string; target: string; detail: string }[] => {
    const db = new Database(join(temp.dir, 'osc.sqlite'), { readonly: true });
    try {
      return db
        .prepare<[string], { actor: string; target: string; detail: string }>(
          'SELECT actor, target, detail FROM audit_log WHERE action = ? ORDER BY seq',
        )
        .all(action);
    } finally {
      db.close();
    }
  };
  const receivedFor = (id: number) =>
    receiver.received.filter((request) => request.eventId.endsWith(`-${id}`));

  it('pushes each checkpoint signed; waits while the witness is down, across a restart, and delivers once it is back', async () => {
    core = await start();
    let admin = new TestCaller(core, 'test:admin');
    await admin.value('session.setupFirstAdmin', {
      username: 'admin',
      displayName: 'Admin',
      password: ADMIN_PASSWORD,
    });
    const first = await admin.value('audit.checkpoint', {});
    const saved = await admin.value('audit.setWitness', { url: receiver.url, secret: SECRET });
    expect(saved).toMatchObject({ url: receiver.url, secretSaved: true });
    expect(JSON.stringify(saved)).not.toContain(SECRET);

    await until('the first checkpoint at the witness', () =>
      receivedFor(first.id).length > 0 ? true : null,
    );
    const [got] = receivedFor(first.id);
    expect(got).toMatchObject({ signatureValid: true, eventType: 'audit.checkpoint' });
    expect(got?.source).toBe(first.checkpoint.storeId);
    expect(got?.body).toMatchObject({
      checkpoint: first.checkpoint,
      signature: first.signature,
      keyId: first.keyId,
    });
    expect(checkpointSignatureValid(got?.body ?? first, got?.body.publicKeyPem ?? '')).toBe(true);
    await until('the delivery recorded', async () => {
      const view = await admin.value('audit.witness', {});
      return view.deliveries.find((d) => d.checkpointId === first.id)?.status === 'delivered' ? view : null;
    });

    // The witness goes down; a checkpoint signed now waits, pending, with its attempts counted.
    await receiver.stop();
    const second = await admin.value('audit.checkpoint', {});
    const waiting = await until('the second delivery failing', async () => {
      const view = await admin.value('audit.witness', {});
      const delivery = view.deliveries.find((d) => d.checkpointId === second.id);
      return delivery !== undefined && delivery.attempts >= 3 ? delivery : null;
    });
    expect(waiting).toMatchObject({ status: 'pending', deliveredAt: null });
    expect(waiting.lastError).toMatch(/.+/);
    expect(waiting.nextAttemptAt).not.toBeNull();
    expect(auditRows('audit.witness-failed')[0]).toMatchObject({
      actor: 'system',
      target: `checkpoint:${second.id}`,
    });

    // The console stops; meanwhile the CLI signs a checkpoint; the witness comes back; the console starts.
    await core.close();
    core = null;
    const cli = new PassThrough();
    cli.resume();
    expect(
      await auditCheckpointCommand({ dataDir: temp.dir, keychainService: KEYCHAIN_TEST_SERVICE }, cli),
    ).toBe(0);
    const thirdId = second.id + 1;
    expect(receivedFor(second.id)).toEqual([]);
    await receiver.start();
    core = await start();
    admin = new TestCaller(core, 'test:admin');
    await admin.value('session.login', { username: 'admin', password: ADMIN_PASSWORD });

    await until('the waiting and the CLI checkpoint at the witness', () =>
      receivedFor(second.id).length > 0 && receivedFor(thirdId).length > 0 ? true : null,
    );
    expect(receivedFor(second.id)).toHaveLength(1);
    expect(receivedFor(second.id)[0]).toMatchObject({ signatureValid: true });
    expect(receivedFor(second.id)[0]?.body.checkpoint).toEqual(second.checkpoint);
    expect(receivedFor(first.id)).toHaveLength(1);
    const view = await admin.value('audit.witness', {});
    expect(view.deliveries.map((d) => [d.checkpointId, d.status])).toEqual([
      [thirdId, 'delivered'],
      [second.id, 'delivered'],
      [first.id, 'delivered'],
    ]);
    // #2 waits out its retry time; #3 is due at once: they may arrive in either order.
    expect(
      auditRows('audit.witness-delivered')
        .map((row) => [row.actor, row.target])
        .sort(),
    ).toEqual([
      ['system', `checkpoint:${first.id}`],
      ['system', `checkpoint:${second.id}`],
      ['system', `checkpoint:${thirdId}`],
    ]);
    // The dispatcher's row for the call carries the URL's origin, never the secret.
    const setRows = auditRows('audit.setWitness');
    expect(setRows).toHaveLength(1);
    expect(setRows[0]?.detail).not.toContain(SECRET);

    // The secret is in the keychain only: in no file of the data folder.
    await core.close();
    core = null;
    for (const file of readdirSync(temp.dir, { recursive: true, encoding: 'utf8' })) {
      let text: string;
      try {
        text = readFileSync(join(temp.dir, file)).toString('latin1');
      } catch {
        continue; // a folder
      }
      expect(text.includes(SECRET), file).toBe(false);
    }
  });

  it('validates the URL and needs a secret; null turns the witness off and forgets the secret', async () => {
    core = await start();
    const admin = new TestCaller(core, 'test:admin');
    await admin.value('session.setupFirstAdmin', {
      username: 'admin',
      displayName: 'Admin',
      password: ADMIN_PASSWORD,
    });
    const refusal = async (input: unknown): Promise<string> => {
      const result = await admin.call('audit.setWitness', input);
      return result.ok ? 'accepted' : `${result.error.code}: ${result.error.message}`;
    };
    expect(await refusal({ url: 'ftp://127.0.0.1/x', secret: SECRET })).toMatch(/^invalid-input/);
    expect(await refusal({ url: 'http://witness.example.org/x', secret: SECRET })).toMatch(
      /^invalid-input: .*plain http/,
    );
    expect(await refusal({ url: 'https://user:pw@witness.example.org/x', secret: SECRET })).toMatch(
      /^invalid-input: .*user name or password/,
    );
    expect(await refusal({ url: receiver.url })).toMatch(/^invalid-input: Enter the signing secret/);
    expect(await refusal({ url: receiver.url, secret: 'short' })).toMatch(/^invalid-input/);
    expect(await refusal({ url: 'https://witness.example.org/hook', secret: SECRET })).toBe('accepted');
    expect(await admin.value('audit.setWitness', { url: null })).toEqual({
      url: null,
      secretSaved: false,
      deliveries: [],
    });
  });
});
