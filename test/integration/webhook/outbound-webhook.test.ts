import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookOutSettings } from '../../../shared/domain/connection.js';
import { startSupplierPortal, type SupplierPortal } from '../../peers/supplier-portal/index.js';
import { DeliveryStore } from '../../../main/connectors/webhook/delivery-store.js';
import { testOutboundWebhook } from '../../../main/connectors/webhook/outbound-test-connection.js';
import { OutboundWebhookTarget } from '../../../main/connectors/webhook/outbound-webhook-target.js';
import { memorySecrets, openPartnerTestDb, type PartnerTestDb } from './partner-test-db.js';

const SECRET = 'portal-shared-secret-for-tests';
const CONNECTION = 'conn_webhookout001';
const approval = (po: string) => ({
  key: `purchase.order:${po}`,
  payload: { type: 'purchase.order.approved', po, lines: 2 },
});

describe('outbound webhooks to the supplier portal', () => {
  let store: PartnerTestDb;
  let portal: SupplierPortal;
  let deliveries: DeliveryStore;
  beforeEach(async () => {
    store = openPartnerTestDb();
    portal = await startSupplierPortal({ secret: SECRET });
    deliveries = new DeliveryStore(store.db);
  });
  afterEach(async () => {
    await portal.close();
    store.cleanup();
  });

  const settings = (overrides: Partial<WebhookOutSettings> = {}): WebhookOutSettings => ({
    kind: 'webhook-out',
    url: portal.url,
    allowInsecureHttp: false,
    maxAttempts: 4,
    timeoutMs: 2000,
    ...overrides,
  });
  const target = (overrides: Partial<WebhookOutSettings> = {}, secret = SECRET) =>
    new OutboundWebhookTarget({
      connectionId: CONNECTION,
      settings: settings(overrides),
      secrets: memorySecrets({ [CONNECTION]: secret }),
      deliveries,
      backoff: { baseDelayMs: 20, maxDelayMs: 200 },
    });
  const attempts = (id: string) =>
    deliveries.attemptsOf(
      (store.db.prepare('SELECT id FROM webhook_deliveries WHERE event_id = ?').get(id) as { id: number }).id,
    );
  const operation = { eventType: 'purchase.order.approved' };

  it('delivers signed events the portal verifies on its own, once per record and content', async () => {
    const outcomes = await target().write({ operation, records: [approval('PO-1'), approval('PO-2')] });
    expect(outcomes.map((outcome) => outcome.ok && outcome.created)).toEqual([true, true]);
    expect(portal.received.map((event) => [event.eventType, (event.body as { po: string }).po])).toEqual([
      ['purchase.order.approved', 'PO-1'],
      ['purchase.order.approved', 'PO-2'],
    ]);
    // The same record with the same content again: already delivered, nothing sent.
    const [again] = await target().write({ operation, records: [approval('PO-1')] });
    expect(again).toMatchObject({ ok: true, created: false });
    expect(portal.attempts).toHaveLength(2);
    // Changed content is a new delivery with a new event id.
    const [changed] = await target().write({
      operation,
      records: [{ ...approval('PO-1'), payload: { ...approval('PO-1').payload, lines: 3 } }],
    });
    expect(changed).toMatchObject({ ok: true, created: true });
    expect(new Set(portal.received.map((event) => event.eventId)).size).toBe(3);
  });

  it('retries 5xx and 429 with backoff, keeping the event id, and records every attempt', async () => {
    portal.faults.failNext(2, 503);
    portal.faults.failNext(1, 429, 0);
    const [outcome] = await target().write({ operation, records: [approval('PO-3')] });
    expect(outcome).toMatchObject({ ok: true });
    const eventIds = new Set(portal.attempts.map((attempt) => attempt.eventId));
    expect(eventIds.size).toBe(1);
    const history = attempts([...eventIds][0]!);
    expect(history.map((attempt) => attempt.status_code)).toEqual([503, 503, 429, 200]);
    expect(store.db.prepare('SELECT status, attempts FROM webhook_deliveries').get()).toEqual({
      status: 'delivered',
      attempts: 4,
    });
  });

  it('gives up after maxAttempts as transient and marks the delivery dead; a later write reopens it', async () => {
    portal.faults.failNext(3, 502);
    const [outcome] = await target({ maxAttempts: 3 }).write({ operation, records: [approval('PO-4')] });
    expect(outcome).toMatchObject({
      ok: false,
      error: { class: 'transient', code: 'webhook.attempts-exhausted' },
    });
    expect(portal.attempts).toHaveLength(3);
    expect(store.db.prepare('SELECT status FROM webhook_deliveries').get()).toEqual({ status: 'dead' });
    const [replayed] = await target({ maxAttempts: 3 }).write({ operation, records: [approval('PO-4')] });
    expect(replayed).toMatchObject({ ok: true });
    expect(portal.received).toHaveLength(1);
    const eventId = portal.received[0]!.eventId;
    expect(attempts(eventId).map((attempt) => [attempt.attempt, attempt.status_code])).toEqual([
      [1, 502],
      [2, 502],
      [3, 502],
      [4, 200],
    ]);
  });

  it('does not retry a 4xx, and a wrong secret is reported as an authentication problem', async () => {
    portal.faults.failNext(1, 422);
    const [refused] = await target().write({ operation, records: [approval('PO-5')] });
    expect(refused).toMatchObject({ ok: false, error: { class: 'permanent', code: 'http.422' } });
    expect(portal.attempts).toHaveLength(1);
    const [unsigned] = await target({}, 'another-secret').write({ operation, records: [approval('PO-6')] });
    expect(unsigned).toMatchObject({ ok: false, error: { class: 'authentication', code: 'http.401' } });
    expect(portal.attempts).toHaveLength(2);
  });

  it('a 409 from the subscriber counts as delivered (it already has the event)', async () => {
    portal.faults.failNext(1, 409);
    const [outcome] = await target().write({ operation, records: [approval('PO-7')] });
    expect(outcome).toMatchObject({ ok: true });
  });

  it('a dead subscriber exhausts the attempts; resumeDue() delivers what a crash left pending', async () => {
    const url = portal.url;
    await portal.close();
    const [outcome] = await target({ url, maxAttempts: 2 }).write({ operation, records: [approval('PO-8')] });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'webhook.attempts-exhausted' } });
    expect(!outcome!.ok && outcome!.error.message).toMatch(/refused the connection|closed the connection/);

    portal = await startSupplierPortal({ secret: SECRET });
    // A delivery queued but never attempted (the process died before the first POST).
    deliveries.enqueue(
      CONNECTION,
      'purchase.order:PO-9',
      'purchase.order.approved',
      JSON.stringify({ po: 'PO-9' }),
    );
    const resumed = await target().resumeDue(10);
    expect(resumed).toEqual([expect.objectContaining({ key: 'purchase.order:PO-9', ok: true })]);
    expect(portal.received.map((event) => (event.body as { po: string }).po)).toEqual(['PO-9']);
  });

  it('refuses plain http to another host and a missing secret before sending', async () => {
    const [insecure] = await target({ url: 'http://portal.supplier.example/hooks' }).write({
      operation,
      records: [approval('PO-10')],
    });
    expect(insecure).toMatchObject({ ok: false, error: { class: 'configuration', code: 'http.insecure' } });
    const none = new OutboundWebhookTarget({
      connectionId: CONNECTION,
      settings: settings(),
      secrets: memorySecrets({}),
      deliveries,
    });
    const [noSecret] = await none.write({ operation, records: [approval('PO-11')] });
    expect(noSecret).toMatchObject({ ok: false, error: { code: 'webhook.no-secret' } });
    const [badOp] = await target().write({ operation: {}, records: [approval('PO-12')] });
    expect(badOp).toMatchObject({ ok: false, error: { code: 'webhook.bad-operation' } });
    expect(portal.attempts).toHaveLength(0);
  });

  it('test connection sends a signed ping and explains a refusal', async () => {
    const ok = await testOutboundWebhook(CONNECTION, settings(), memorySecrets({ [CONNECTION]: SECRET }));
    expect(ok.ok).toBe(true);
    expect(portal.received.at(-1)?.eventType).toBe('osc.ping');
    const wrong = await testOutboundWebhook(CONNECTION, settings(), memorySecrets({ [CONNECTION]: 'nope' }));
    expect(wrong.ok).toBe(false);
    expect(wrong.summary).toMatch(/refused the signature/);
    const missing = await testOutboundWebhook(CONNECTION, settings(), memorySecrets({}));
    expect(missing.checks.at(-1)).toMatchObject({ id: 'secret', status: 'failed' });
    expect(JSON.stringify([ok, wrong])).not.toContain(SECRET);
  });
});
