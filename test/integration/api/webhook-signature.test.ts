import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookInSettings } from '../../../shared/domain/connection.js';
import { InboundEventStore } from '../../../main/connectors/webhook/inbound-event-store.js';
import { postSignedWebhook } from '../../../main/connectors/webhook/outbound-sender.js';
import { signatureHeaderValue } from '../../../main/connectors/webhook/signature.js';
import {
  startWebhookListener,
  type WebhookListener,
} from '../../../main/connectors/webhook/webhook-listener.js';
import { startSupplierPortal } from '../../peers/supplier-portal/index.js';
import { openPartnerTestDb, type PartnerTestDb } from '../webhook/partner-test-db.js';

/**
 * Item 7 of issue 9: the inbound signature covers the source, the timestamp, the event id and the
 * body, so a request captured on the wire and replayed inside the skew window is refused whatever
 * header the attacker changes; the outbound sender signs the same way and an independent receiver
 * (the demo's supplier portal) verifies it.
 */
const SECRET = 'shared-partner-secret';
const execFileAsync = promisify(execFile);
const settings = (sourceName: string): WebhookInSettings => ({
  kind: 'webhook-in',
  sourceName,
  maxBodyBytes: 4096,
  clockSkewSeconds: 300,
  ratePerMinute: 600,
});

describe('webhook signature over source, timestamp, event id and body', () => {
  let store: PartnerTestDb;
  let listener: WebhookListener;
  beforeEach(async () => {
    store = openPartnerTestDb();
    // Two sources share one secret, as two feeds of the same partner often do.
    listener = await startWebhookListener({
      events: new InboundEventStore(store.db),
      sources: (name) =>
        name === 'billing' || name === 'payroll'
          ? { connectionId: `conn_${name}00000001`, settings: settings(name) }
          : null,
      secrets: { read: () => Promise.resolve(SECRET) },
    });
  });
  afterEach(async () => {
    await listener.close();
    store.cleanup();
  });

  async function send(path: string, headers: Record<string, string>, body: string) {
    const response = await request(`${listener.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const json = (await response.body.json()) as { error?: string };
    return { status: response.statusCode, error: json.error ?? null };
  }

  it('accepts the signed request once and refuses every altered replay of it', async () => {
    const body = '{"type":"invoice.paid","invoice":7}';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const captured = {
      'x-osc-timestamp': timestamp,
      'x-osc-event-id': 'evt-original',
      'x-osc-signature': signatureHeaderValue(SECRET, {
        source: 'billing',
        timestamp,
        eventId: 'evt-original',
        body,
      }),
    };
    expect(await send('/hooks/billing', captured, body)).toEqual({ status: 202, error: null });
    expect(await send('/hooks/billing', captured, body)).toEqual({ status: 409, error: 'replayed-event' });

    const refused = { status: 401, error: 'bad-signature' };
    // A new event id defeats the replay check by id: the signature must catch it.
    expect(await send('/hooks/billing', { ...captured, 'x-osc-event-id': 'evt-forged' }, body)).toEqual(
      refused,
    );
    // The same request posted to another source that shares the secret.
    expect(await send('/hooks/payroll', captured, body)).toEqual(refused);
    // Re-timed inside the skew window.
    const later = String(Number(timestamp) + 1);
    expect(await send('/hooks/billing', { ...captured, 'x-osc-timestamp': later }, body)).toEqual(refused);
    expect(await send('/fhir/billing', { ...captured, 'x-osc-event-id': 'evt-forged' }, body)).toEqual(
      refused,
    );
    expect(store.db.prepare('SELECT count(*) AS n FROM inbound_events').get()).toEqual({ n: 1 });
  });

  it("the README's shell example (printf | openssl | curl) signs a request the listener accepts", async () => {
    const readme = readFileSync(
      resolve(import.meta.dirname, '../../../main/connectors/webhook/README.md'),
      'utf8',
    );
    const example = /```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const script = `${(example ?? '').trimEnd().replace('<port>', String(listener.port))} -s -o /dev/null -w '%{http_code}'`;
    const { stdout } = await execFileAsync('sh', ['-c', script], { env: { ...process.env, secret: SECRET } });
    expect(stdout).toBe('202');
  });

  it('signs outbound events so an independent receiver verifies source, event id and body', async () => {
    const portal = await startSupplierPortal({ secret: SECRET });
    try {
      const reply = await postSignedWebhook({
        url: new URL(portal.url),
        source: 'conn_outbound00000001',
        secret: SECRET,
        eventId: 'evt-out-1',
        eventType: 'purchase.order.approved',
        body: JSON.stringify({ order: 'PO0001' }),
        timeoutMs: 5000,
        nowMs: Date.now(),
      });
      expect(reply.status).toBe(200);
      expect(portal.received).toMatchObject([{ eventId: 'evt-out-1', body: { order: 'PO0001' } }]);
    } finally {
      await portal.close();
    }
  });
});
