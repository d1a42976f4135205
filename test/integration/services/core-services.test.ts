import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryStore } from '../../../main/connectors/webhook/delivery-store.js';
import { postSignedWebhook } from '../../../main/connectors/webhook/outbound-sender.js';
import { openStore } from '../../../main/store/open-store.js';
import type { ServiceStatus, ServicesReport } from '../../../shared/contract/ops/service-ops.js';
import { startSupplierPortal, type SupplierPortal } from '../../peers/supplier-portal/index.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { until } from '../../support/until.js';

const service = (report: ServicesReport, name: string): ServiceStatus | undefined =>
  report.services.find((entry) => entry.name === name);

async function occupyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return { server, port: address.port };
}

describe('the services a core starts', () => {
  let harness: TestCore | null = null;
  let portal: SupplierPortal | null = null;
  afterEach(async () => {
    await harness?.close();
    await portal?.close();
    harness = null;
    portal = null;
  });

  it('listens for webhooks where the console says, and restarts the listener with backoff until its port is free', async () => {
    const blocker = await occupyPort();
    harness = await startTestCore({
      services: {
        webhookListener: { port: blocker.port },
        restartInitialDelayMs: 50,
        restartMaxDelayMs: 200,
      },
    });
    const admin = harness.admin;
    const refused = await until('the listener refused its taken port', async () => {
      const report = await admin.value('services.status', {});
      const listener = service(report, 'webhook-listener');
      // After 5 quick failures it shows as failed (still retried at the backoff); on a busy machine the
      // first look can come that late, so either state proves the retries.
      const retrying = listener?.state === 'restarting' || listener?.state === 'failed';
      return retrying && listener.restarts >= 2 ? listener : null;
    });
    expect(refused.lastError).toMatch(/EADDRINUSE/);
    await new Promise<void>((resolve) => blocker.server.close(() => resolve()));

    const url = `http://127.0.0.1:${blocker.port}`;
    const report = await until('the listener running on its port', async () => {
      const answer = await admin.value('services.status', {});
      return service(answer, 'webhook-listener')?.state === 'running' ? answer : null;
    });
    expect(report.webhookListenerUrl).toBe(url);
    expect(service(report, 'webhook-listener')?.detail).toBe(`listening on ${url}`);
    expect(report.signing.join('\n')).toMatch(/x-osc-signature/);

    const secret = randomBytes(16).toString('hex');
    const connection = await admin.value('connections.create', {
      name: 'Lab results',
      settings: { kind: 'webhook-in', sourceName: 'lab-results' },
    });
    await admin.value('connections.setSecret', { id: connection.id, secret });
    const endpoints = (await admin.value('services.status', {})).webhookEndpoints;
    expect(endpoints).toEqual([
      {
        connectionId: connection.id,
        name: 'Lab results',
        sourceName: 'lab-results',
        webhookUrl: `${url}/hooks/lab-results`,
        fhirUrl: `${url}/fhir/lab-results`,
      },
    ]);
    const reply = await postSignedWebhook({
      url: new URL(endpoints[0]?.webhookUrl ?? ''),
      source: 'lab-results',
      secret,
      eventId: 'lab-1',
      eventType: 'lab.result',
      body: JSON.stringify({ id: 'lab-1', value: 4.2 }),
      timeoutMs: 5000,
      nowMs: Date.now(),
    });
    expect(reply.status).toBe(202);
  });

  it('delivers an outbound webhook that a crash left pending, without any run', async () => {
    const secret = randomBytes(16).toString('hex');
    portal = await startSupplierPortal({ secret });
    harness = await startTestCore({ services: { webhookListener: false, outboundResumeEveryMs: 100 } });
    const connection = await harness.admin.value('connections.create', {
      name: 'Supplier portal',
      settings: { kind: 'webhook-out', url: portal.url, allowInsecureHttp: true },
    });
    await harness.admin.value('connections.setSecret', { id: connection.id, secret });
    // What a killed run leaves behind: a queued delivery row that nobody is sending any more.
    const store = openStore({ dataDir: harness.dataDir });
    try {
      new DeliveryStore(store.db).enqueue(connection.id, 'po-7', 'purchase.order.approved', '{"order":"P7"}');
    } finally {
      store.close();
    }
    const received = await until('the delivery', () => (portal?.received.length ? portal.received : null));
    expect(received.map((event) => event.body)).toEqual([{ order: 'P7' }]);
    await delay(400);
    expect(portal.attempts.filter((attempt) => attempt.status === 200)).toHaveLength(1);
    const report = await harness.admin.value('services.status', {});
    expect(service(report, 'outbound-resume')).toMatchObject({
      state: 'running',
      detail: '1 resumed deliveries sent',
    });
    expect(service(report, 'webhook-listener')).toBeUndefined();
  });
});
