import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookInSettings } from '../../../shared/domain/connection.js';
import { InboundEventStore } from '../../../main/connectors/webhook/inbound-event-store.js';
import { InboundWebhookSource } from '../../../main/connectors/webhook/inbound-webhook-source.js';
import { signatureHeaderValue } from '../../../main/connectors/webhook/signature.js';
import {
  startWebhookListener,
  type WebhookListener,
} from '../../../main/connectors/webhook/webhook-listener.js';
import { memorySecrets, openPartnerTestDb, type PartnerTestDb } from './partner-test-db.js';

const SECRET = 'listener-test-secret';
const CONNECTION = 'conn_webhookin0001';
const settings = (overrides: Partial<WebhookInSettings> = {}): WebhookInSettings => ({
  kind: 'webhook-in',
  sourceName: 'billing',
  maxBodyBytes: 2048,
  clockSkewSeconds: 300,
  ratePerMinute: 600,
  ...overrides,
});

describe('inbound webhook listener', () => {
  let store: PartnerTestDb;
  let listener: WebhookListener;
  let sourceSettings: WebhookInSettings;
  let secret: string | null;
  beforeEach(async () => {
    store = openPartnerTestDb();
    sourceSettings = settings();
    secret = SECRET;
    listener = await startWebhookListener({
      events: new InboundEventStore(store.db),
      sources: (name) => (name === 'billing' ? { connectionId: CONNECTION, settings: sourceSettings } : null),
      secrets: { read: () => Promise.resolve(secret) },
    });
  });
  afterEach(async () => {
    await listener.close();
    store.cleanup();
  });

  async function post(
    body: string,
    options: {
      eventId?: string;
      timestamp?: number;
      path?: string;
      secret?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<{ status: number; json: { error?: string; seq?: number }; headers: Record<string, unknown> }> {
    const ts = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const path = options.path ?? '/hooks/billing';
    const eventId = options.eventId ?? `evt-${Math.random().toString(36).slice(2)}`;
    const source = path.split('/')[2] ?? '';
    const response = await request(`${listener.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-osc-timestamp': ts,
        'x-osc-event-id': eventId,
        'x-osc-signature': signatureHeaderValue(options.secret ?? SECRET, {
          source,
          timestamp: ts,
          eventId,
          body,
        }),
        ...options.headers,
      },
      body,
      headersTimeout: 5000,
      bodyTimeout: 5000,
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      json: JSON.parse(text) as { error?: string },
      headers: response.headers,
    };
  }
  const count = (): number =>
    (store.db.prepare('SELECT count(*) AS n FROM inbound_events').get() as { n: number }).n;

  it('accepts a signed event and has it committed in SQLite by the time the 202 arrives', async () => {
    const answer = await post('{"type":"invoice.paid","invoice":"INV-1"}', { eventId: 'evt-1' });
    expect(answer.status).toBe(202);
    // A second connection to the same file sees the row: it is committed, not pending in a transaction.
    const { default: Database } = await import('better-sqlite3');
    const reader = new Database(store.path, { readonly: true });
    try {
      const row = reader
        .prepare('SELECT event_id, event_type, channel, body FROM inbound_events WHERE seq = ?')
        .get(answer.json.seq) as Record<string, string>;
      expect(row).toEqual({
        event_id: 'evt-1',
        event_type: 'invoice.paid',
        channel: 'webhook',
        body: '{"type":"invoice.paid","invoice":"INV-1"}',
      });
    } finally {
      reader.close();
    }
  });

  it('401 bad signature', async () => {
    expect(await post('{}', { secret: 'not-the-secret' })).toMatchObject({
      status: 401,
      json: { error: 'bad-signature' },
    });
    expect(count()).toBe(0);
  });

  it('401 stale timestamp, in the past and in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await post('{}', { timestamp: now - 301 })).toMatchObject({
      status: 401,
      json: { error: 'stale-timestamp' },
    });
    expect(await post('{}', { timestamp: now + 400 })).toMatchObject({
      status: 401,
      json: { error: 'stale-timestamp' },
    });
    expect(count()).toBe(0);
  });

  it('409 replayed event id, even with a fresh timestamp and signature', async () => {
    expect((await post('{"n":1}', { eventId: 'evt-replay' })).status).toBe(202);
    expect(await post('{"n":1}', { eventId: 'evt-replay' })).toMatchObject({
      status: 409,
      json: { error: 'replayed-event' },
    });
    expect(count()).toBe(1);
  });

  it('413 oversize body, declared or chunked', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(4096) });
    expect(await post(big)).toMatchObject({ status: 413, json: { error: 'body-too-large' } });
    // No Content-Length: the body arrives chunked and is cut off once it passes the limit.
    const chunks = Readable.from(Array.from({ length: 8 }, () => Buffer.from('x'.repeat(512))));
    const ts = String(Math.floor(Date.now() / 1000));
    const response = await request(`${listener.url}/hooks/billing`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-osc-timestamp': ts,
        'x-osc-event-id': 'chunked',
        'x-osc-signature': 'v1=00',
      },
      body: chunks,
    });
    expect(response.statusCode).toBe(413);
    await response.body.dump();
    expect(count()).toBe(0);
  });

  it('429 when over the rate, with Retry-After, counted per source after authentication', async () => {
    sourceSettings = settings({ ratePerMinute: 3 });
    for (let index = 0; index < 3; index += 1) expect((await post('{}')).status).toBe(202);
    // Forged requests do not use up the partner's budget…
    expect((await post('{}', { secret: 'forged' })).status).toBe(401);
    const limited = await post('{}');
    expect(limited).toMatchObject({ status: 429, json: { error: 'rate-limited' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(count()).toBe(3);
  });

  it('400 malformed JSON and missing headers; 404 unknown source; 405 and 415', async () => {
    expect(await post('{"a":')).toMatchObject({ status: 400, json: { error: 'malformed-json' } });
    expect(await post('{}', { headers: { 'x-osc-signature': '' } })).toMatchObject({
      status: 401,
      json: { error: 'bad-signature' },
    });
    const noHeaders = await request(`${listener.url}/hooks/billing`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noHeaders.statusCode).toBe(400);
    expect(((await noHeaders.body.json()) as { error: string }).error).toBe('missing-headers');
    expect(await post('{}', { path: '/hooks/unknown' })).toMatchObject({
      status: 404,
      json: { error: 'unknown-source' },
    });
    expect(await post('{}', { path: '/other' })).toMatchObject({
      status: 404,
      json: { error: 'unknown-source' },
    });
    const get = await request(`${listener.url}/hooks/billing`);
    expect(get.statusCode).toBe(405);
    await get.body.dump();
    expect(await post('{}', { headers: { 'content-type': 'text/plain' } })).toMatchObject({
      status: 415,
      json: { error: 'unsupported-media-type' },
    });
    expect(count()).toBe(0);
  });

  it('takes a trailing slash and ignores a query; a path it cannot decode names no source', async () => {
    expect((await post('{}', { path: '/hooks/billing/?via=test' })).status).toBe(202);
    const garbled = await request(`${listener.url}/hooks/%E0%A4%A`, { method: 'POST', body: '{}' });
    expect(garbled.statusCode).toBe(404);
    expect(((await garbled.body.json()) as { error: string }).error).toBe('unknown-source');
    expect(count()).toBe(1);
  });

  it('503 when no secret is saved or the store cannot commit: never a 2xx without the row', async () => {
    secret = null;
    expect(await post('{}')).toMatchObject({ status: 503, json: { error: 'source-not-ready' } });
    secret = SECRET;
    store.db.close();
    const answer = await post('{}');
    expect(answer).toMatchObject({ status: 503, json: { error: 'store-unavailable' } });
    expect(answer.headers['retry-after']).toBe('30');
  });

  it('feeds the accepted events to the engine as a Source, in pages, from a cursor', async () => {
    for (let index = 1; index <= 5; index += 1)
      await post(JSON.stringify({ type: index % 2 === 0 ? 'even' : 'odd', n: index }), {
        eventId: `e${index}`,
      });
    const source = new InboundWebhookSource(CONNECTION, new InboundEventStore(store.db));
    const pages: { ids: string[]; cursor: string | null }[] = [];
    for await (const page of source.extract({ selector: {}, cursor: null, pageSize: 2 }))
      pages.push({ ids: page.records.map((record) => record.sourceId), cursor: page.cursor });
    expect(pages).toEqual([
      { ids: ['e1', 'e2'], cursor: '2' },
      { ids: ['e3', 'e4'], cursor: '4' },
      { ids: ['e5'], cursor: '5' },
    ]);
    const odd: string[] = [];
    for await (const page of source.extract({ selector: { eventType: 'odd' }, cursor: '1', pageSize: 10 }))
      odd.push(...page.records.map((record) => record.sourceId));
    expect(odd).toEqual(['e3', 'e5']);
    await expect(
      (async () => {
        for await (const _ of source.extract({ selector: {}, cursor: 'x', pageSize: 1 })) break;
      })(),
    ).rejects.toMatchObject({ code: 'webhook.bad-cursor' });
  });
});

describe('listener binding', () => {
  it('refuses a non-loopback bind without TLS', async () => {
    const store = openPartnerTestDb();
    try {
      await expect(
        startWebhookListener({
          host: '0.0.0.0',
          events: new InboundEventStore(store.db),
          sources: () => null,
          secrets: memorySecrets({}),
        }),
      ).rejects.toThrow(/needs a TLS certificate/);
    } finally {
      store.cleanup();
    }
  });
});
