import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../../shared/domain/connection.js';
import { SECRET_PLACEHOLDER, type InboundEndpoint } from '../../../shared/domain/inbound-endpoint.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { until } from '../../support/until.js';

/**
 * A webhook-in connection's API answer says where its partner posts and how to sign. Followed to
 * the letter (its URL, its header names, its signed text; then its shell example with only the
 * secret filled in), it gets events accepted by the running listener; it never holds the secret.
 */
const execFileAsync = promisify(execFile);

function listening(endpoint: InboundEndpoint | undefined) {
  if (endpoint?.listening !== true) throw new Error(`not listening: ${JSON.stringify(endpoint)}`);
  return endpoint;
}

describe('the inbound address in a webhook-in connection answer', () => {
  let harness: TestCore | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('is the running listener URL, and a request signed by its recipe is accepted there', async () => {
    harness = await startTestCore({ services: { webhookListener: { port: 0 } } });
    const admin = harness.admin;
    const secret = randomBytes(16).toString('hex');
    const created = await admin.value('connections.create', {
      name: 'Lab results',
      settings: { kind: 'webhook-in', sourceName: 'lab-results' },
    });
    await admin.value('connections.setSecret', { id: created.id, secret });
    const answer: Connection = await until('the listener listening', async () => {
      const got = await admin.value('connections.get', { id: created.id });
      return got.inbound?.listening === true ? got : null;
    });
    const endpoint = listening(answer.inbound);
    const report = await admin.value('services.status', {});
    expect(endpoint.url).toBe(`${report.webhookListenerUrl ?? 'none'}/hooks/lab-results`);
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/lab-results$/);
    expect(endpoint.fhirUrl).toBe(endpoint.url.replace('/hooks/', '/fhir/'));
    expect(endpoint.note).toMatch(/loopback/);
    expect(JSON.stringify(answer)).not.toContain(secret);
    const listed = await admin.value('connections.list', {});
    expect(listed.find((entry) => entry.id === created.id)?.inbound).toEqual(endpoint);

    // Exactly as the answer says: its URL, its header names, its signed text.
    const body = '{"type":"lab.result","value":4.2}';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const eventId = 'lab-1';
    const signedText = endpoint.signing.signedText
      .replace('<timestamp>', timestamp)
      .replace('<event id>', eventId)
      .replace('<raw body>', body);
    const hex = createHmac('sha256', secret).update(signedText).digest('hex');
    const { headers } = endpoint.signing;
    const reply = await request(endpoint.url, {
      method: endpoint.signing.method,
      headers: {
        'content-type': endpoint.signing.contentType,
        [headers.timestamp]: timestamp,
        [headers.eventId]: eventId,
        [headers.signature]: endpoint.signing.signatureValue.replace(/<[^>]+>$/, hex),
      },
      body,
    });
    expect(await reply.body.json()).toMatchObject({ accepted: true, eventId });
    expect(reply.statusCode).toBe(202);

    // The page's shell example, with only the placeholder replaced by the secret.
    expect(endpoint.example).toContain(SECRET_PLACEHOLDER);
    const script = `${endpoint.example.replace(SECRET_PLACEHOLDER, secret)} -s -o /dev/null -w '%{http_code}'`;
    const { stdout } = await execFileAsync('sh', ['-c', script]);
    expect(stdout).toBe('202');
  });

  it('says the listener does not listen, and why, instead of giving an address', async () => {
    harness = await startTestCore({ services: { webhookListener: false } });
    const created = await harness.admin.value('connections.create', {
      name: 'Lab results',
      settings: { kind: 'webhook-in', sourceName: 'lab-results' },
    });
    const endpoint = created.inbound;
    expect(endpoint?.listening).toBe(false);
    expect(endpoint?.listening === false ? endpoint.reason : '').toMatch(/no webhook listener/);
    expect(created.inbound).not.toHaveProperty('url');
    expect(created.inbound?.signing.headers.signature).toBe('x-osc-signature');
    const other = await harness.admin.value('connections.create', {
      name: 'Receiver',
      settings: { kind: 'webhook-out', url: 'https://receiver.example/hooks' },
    });
    expect(other).not.toHaveProperty('inbound');
  });
});
