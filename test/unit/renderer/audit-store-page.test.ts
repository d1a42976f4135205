import { describe, expect, it } from 'vitest';
import type { AuditCheckpointView } from '../../../shared/contract/ops/checkpoint-ops.js';
import type { WitnessDeliveryView } from '../../../shared/contract/ops/witness-types.js';
import {
  backupLine,
  checkpointFile,
  checkpointFileName,
  deliveryLine,
  parseRetentionDays,
  pruneResultLine,
  publicKeyFileName,
  retentionLine,
  witnessBusy,
  witnessFormErrors,
} from '../../../renderer/pages/store/audit-store-view.js';
import { createAuditStorePageStore } from '../../../renderer/stores/audit-store-page-store.js';
import { fakeOperations } from './fake-operations.js';

const CHECKPOINT: AuditCheckpointView = {
  id: 7,
  reason: 'on-demand',
  checkpoint: {
    storeId: 'store-1',
    seq: 42,
    headHash: 'a'.repeat(64),
    merkleRoot: 'b'.repeat(64),
    at: '2026-12-02T10:00:00.000Z',
  },
  signature: 'c2ln',
  keyId: 'd'.repeat(64),
};
const at = (iso: string) => `<${iso}>`;
const delivery = (over: Partial<WitnessDeliveryView>): WitnessDeliveryView => ({
  checkpointId: 7,
  seq: 42,
  status: 'pending',
  attempts: 0,
  lastAttemptAt: null,
  lastStatusCode: null,
  lastError: null,
  nextAttemptAt: null,
  deliveredAt: null,
  ...over,
});

describe('the Audit store page: words and files', () => {
  it('exports a checkpoint in the file format osc verify-audit --checkpoint reads', () => {
    expect(checkpointFile(CHECKPOINT, 'PEM')).toEqual({
      format: 'osc-audit-checkpoint/1',
      checkpoint: CHECKPOINT.checkpoint,
      signature: 'c2ln',
      keyId: CHECKPOINT.keyId,
      publicKey: 'PEM',
    });
    expect(checkpointFile(CHECKPOINT, null)).not.toHaveProperty('publicKey');
    expect(checkpointFileName(CHECKPOINT)).toBe('audit-checkpoint-7-row-42.json');
    expect(publicKeyFileName('0123456789abcdef')).toBe('audit-public-key-0123456789ab.pem');
    expect(publicKeyFileName(null)).toBe('audit-public-key.pem');
  });

  it('says where each witness delivery stands and what to do', () => {
    expect(deliveryLine(delivery({}), at)).toBe('Checkpoint #7 (row #42): waiting to be sent');
    expect(
      deliveryLine(
        delivery({ attempts: 3, lastError: 'connection refused', nextAttemptAt: '2026-12-02T11:00:00Z' }),
        at,
      ),
    ).toBe(
      'Checkpoint #7 (row #42): not delivered yet (3 attempts; last: connection refused); next try <2026-12-02T11:00:00Z>',
    );
    expect(
      deliveryLine(delivery({ status: 'delivered', attempts: 1, deliveredAt: '2026-12-02T10:01:00Z' }), at),
    ).toBe('Checkpoint #7 (row #42): delivered <2026-12-02T10:01:00Z> (1 attempt)');
    expect(deliveryLine(delivery({ status: 'failed', attempts: 1, lastError: 'HTTP 401' }), at)).toBe(
      'Checkpoint #7 (row #42): refused by the witness — HTTP 401. Save the witness again to retry.',
    );
    expect(witnessBusy([delivery({ status: 'delivered' }), delivery({ status: 'failed' })])).toBe(false);
    expect(witnessBusy([delivery({ status: 'delivered' }), delivery({})])).toBe(true);
  });

  it('checks the witness form: an http(s) URL, a secret unless one is saved, 16 characters at least', () => {
    expect(witnessFormErrors('ftp://x', '', false)).toEqual({
      url: 'Enter an http(s) URL.',
      secret: 'Enter the signing secret the witness checks.',
    });
    expect(witnessFormErrors('https://witness.example/hook', '', true)).toEqual({});
    expect(witnessFormErrors('http://127.0.0.1:9/w', 'short', true)).toEqual({
      secret: 'A signing secret is at least 16 characters.',
    });
    expect(witnessFormErrors(' http://127.0.0.1:9/w ', 'x'.repeat(16), false)).toEqual({});
  });

  it('reads the retention days and words the settings, a prune and a backup', () => {
    expect(parseRetentionDays(' 30 ')).toEqual({ days: 30 });
    for (const bad of ['', '0', '3651', '2.5', 'ten']) {
      expect(parseRetentionDays(bad)).toEqual({ error: 'Enter a whole number of days from 1 to 3650.' });
    }
    expect(retentionLine(null)).toBe('Payloads are kept forever (no retention age set).');
    expect(retentionLine(1)).toBe('Settled payloads older than 1 day are pruned daily.');
    expect(retentionLine(30)).toBe('Settled payloads older than 30 days are pruned daily.');
    expect(
      pruneResultLine(
        {
          olderThanDays: 30,
          olderThan: '2026-11-02T10:00:00.000Z',
          payloads: 10,
          rows: { exceptions: 1, outbox_writes: 2, inbound_events: 0 },
        },
        at,
      ),
    ).toBe(
      'Pruned 10 payloads settled before <2026-11-02T10:00:00.000Z> (older than 30 days) — rows per table: exceptions 1, outbox_writes 2.',
    );
    expect(backupLine({ path: '/data/backups/osc-2026-manual.sqlite', bytes: 2048 })).toBe(
      'Backed up to osc-2026-manual.sqlite (2.0 KB).',
    );
  });
});

describe('the Audit store page store', () => {
  it('loads checkpoints for every role and the witness and retention only for administrators', async () => {
    const { ops, calls } = fakeOperations({
      'audit.checkpoints': () => ({ ok: true, value: { items: [CHECKPOINT] } }),
      'audit.publicKey': () => ({ ok: true, value: { publicKeyPem: 'PEM', keyId: 'k' } }),
      'audit.witness': () => ({ ok: true, value: { url: null, secretSaved: false, deliveries: [] } }),
      'retention.settings': () => ({ ok: true, value: { payloadDays: 30 } }),
    });
    const viewerStore = createAuditStorePageStore();
    await viewerStore.getState().load(ops, false);
    expect(calls.map((call) => call.name)).toEqual(['audit.checkpoints', 'audit.publicKey']);
    expect(viewerStore.getState()).toMatchObject({ checkpoints: [CHECKPOINT], witness: null, error: null });

    const adminStore = createAuditStorePageStore();
    await adminStore.getState().load(ops, true);
    expect(adminStore.getState()).toMatchObject({ payloadDays: 30, witness: { url: null } });
  });

  it('passes the witness secret to the call and keeps nothing of it; answers a refusal in place', async () => {
    const secret = 'a-secret-of-sixteen+';
    const { ops, calls } = fakeOperations({
      'audit.setWitness': (input) =>
        (input as { url: string }).url.startsWith('https')
          ? { ok: true, value: { url: 'https://w.example/h', secretSaved: true, deliveries: [] } }
          : { ok: false, error: { code: 'invalid-input', message: 'plain http refused' } },
    });
    const store = createAuditStorePageStore();
    expect(await store.getState().setWitness(ops, 'http://w.example/h', secret)).toBe('plain http refused');
    expect(await store.getState().setWitness(ops, 'https://w.example/h', secret)).toBeNull();
    expect(calls[1]?.input).toEqual({ url: 'https://w.example/h', secret });
    expect(JSON.stringify(store.getState())).not.toContain(secret);
    expect(store.getState().witness).toEqual({
      url: 'https://w.example/h',
      secretSaved: true,
      deliveries: [],
    });
  });

  it('puts a newly signed checkpoint first and keeps a prune result to show', async () => {
    const older = { ...CHECKPOINT, id: 6 };
    const { ops } = fakeOperations({
      'audit.checkpoint': () => ({ ok: true, value: CHECKPOINT }),
      'audit.checkpoints': () => ({ ok: true, value: { items: [CHECKPOINT, older] } }),
      'audit.publicKey': () => ({ ok: true, value: { publicKeyPem: 'PEM', keyId: 'k' } }),
      'retention.pruneNow': () => ({
        ok: true,
        value: { olderThanDays: 30, olderThan: '2026-11-02T00:00:00Z', payloads: 3, rows: {} },
      }),
    });
    const store = createAuditStorePageStore();
    expect(await store.getState().signNow(ops)).toBeNull();
    expect(store.getState().checkpoints.map((item) => item.id)).toEqual([7, 6]);
    expect(await store.getState().pruneNow(ops)).toBeNull();
    expect(store.getState().lastPrune?.payloads).toBe(3);
  });
});
