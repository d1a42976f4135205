import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushWitnessOnce } from '../../../main/audit/witness/witness-pusher.js';
import { WitnessDeliveryRepo } from '../../../main/audit/witness/witness-delivery-repo.js';
import {
  WITNESS_SECRET_VAULT_ID,
  writeWitnessSettings,
} from '../../../main/audit/witness/witness-settings.js';
import {
  loadOrCreateSigningKey,
  SIGNING_KEY_VAULT_ID,
} from '../../../main/store/audit/checkpoints/checkpoint-signing-key.js';
import { createCheckpoint } from '../../../main/store/audit/checkpoints/create-checkpoint.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import type { Vault } from '../../../main/vault/types.js';
import { makeTempDir } from '../../support/temp-dir.js';

const SECRET = 'pusher-test-secret-0123456789';

/** The keychain's part, in memory: this test is about what the pusher does with each answer. */
function memoryVault(): Vault {
  const slots = new Map<string, string>();
  return {
    read: (id) => Promise.resolve(slots.get(id) ?? null),
    set: (id, value) => Promise.resolve(void slots.set(id, value)),
    has: (id) => Promise.resolve(slots.has(id)),
    delete: (id) => Promise.resolve(slots.delete(id)),
    rotate: (id, value) => Promise.resolve(void slots.set(id, value)),
  };
}

/**
 * What one pass of the witness does with each answer: 2xx and 409 deliver, a refusal no resend can
 * change (401) fails the delivery for good until the witness is saved again, 503 is retried within
 * the pass and then left pending with a later time; no secret saved stops the pass with a reason.
 */
describe('one pass of the checkpoint witness', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let vault: Vault;
  let server: Server;
  let url: string;
  let answers: number[];
  let requests: number;
  const audited: { action: string; target: string | null }[] = [];

  beforeEach(async () => {
    temp = makeTempDir('osc-witness-pass-');
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    vault = memoryVault();
    audited.length = 0;
    answers = [];
    requests = 0;
    server = createServer((request, response) => {
      requests += 1;
      request.resume();
      request.on('end', () => response.writeHead(answers.shift() ?? 200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/w`;
    store.audit.append({ actor: 'admin', action: 'flows.update', target: 'f', outcome: 'ok', detail: {} });
    const key = await loadOrCreateSigningKey(vault);
    await createCheckpoint(store.db, { storeId: 's', key, reason: 'cli', now: () => new Date() });
    writeWitnessSettings(store.db, { url, fromCheckpointId: 0 });
    expect(await vault.has(SIGNING_KEY_VAULT_ID)).toBe(true);
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    store.close();
    temp.cleanup();
  });

  const pass = () =>
    pushWitnessOnce({
      db: store.db,
      secrets: vault,
      storeId: 's',
      audit: (row) => audited.push({ action: row.action, target: row.target }),
      timing: { attemptsPerPass: 3, baseDelayMs: 5, maxDelayMs: 10, maxWaitBetweenPassesMs: 60_000 },
    });
  const delivery = () => new WitnessDeliveryRepo(store.db).get(1);

  it('refuses to push without a saved secret, naming it', async () => {
    await expect(pass()).rejects.toThrow(/no signing secret is saved for the checkpoint witness/);
    expect(requests).toBe(0);
  });

  it('a 409 counts as delivered (the witness has it already); nothing is sent twice', async () => {
    await vault.set(WITNESS_SECRET_VAULT_ID, SECRET);
    answers = [409];
    expect(await pass()).toEqual({ delivered: 1, undelivered: 0 });
    expect(delivery()).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 409 });
    expect(await pass()).toEqual({ delivered: 0, undelivered: 0 });
    expect(requests).toBe(1);
  });

  it('503 is retried within the pass, then waits; 401 fails for good until the witness is saved again', async () => {
    await vault.set(WITNESS_SECRET_VAULT_ID, SECRET);
    answers = [503, 503, 503];
    expect(await pass()).toEqual({ delivered: 0, undelivered: 1 });
    expect(delivery()).toMatchObject({ status: 'pending', attempts: 3, lastStatusCode: 503 });
    expect(Date.parse(delivery().nextAttemptAt ?? '')).toBeGreaterThan(Date.now());
    // Not due yet: the next pass leaves it alone.
    expect(await pass()).toEqual({ delivered: 0, undelivered: 0 });
    expect(requests).toBe(3);

    new WitnessDeliveryRepo(store.db).makeDueNow();
    answers = [401];
    await pass();
    expect(delivery()).toMatchObject({
      status: 'failed',
      attempts: 4,
      lastStatusCode: 401,
      nextAttemptAt: null,
    });
    expect(delivery().lastError).toMatch(/same secret/);
    expect(await pass()).toEqual({ delivered: 0, undelivered: 0 });
    expect(requests).toBe(4);

    expect(new WitnessDeliveryRepo(store.db).retryFailedAndWaiting()).toBe(1);
    await pass();
    expect(delivery()).toMatchObject({ status: 'delivered', attempts: 5 });
    expect(audited.map((row) => `${row.action} ${row.target}`)).toEqual([
      'audit.witness-failed checkpoint:1',
      'audit.witness-failed checkpoint:1',
      'audit.witness-delivered checkpoint:1',
    ]);
  });
});
