import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSignedWebhook } from '../../main/connectors/webhook/outbound-sender.js';
import type { ServicesReport } from '../../shared/contract/ops/service-ops.js';
import type { Flow } from '../../shared/domain/flow.js';
import type { Mapping } from '../../shared/domain/mapping.js';
import type { Run } from '../../shared/domain/run.js';
import { DEMO_FLOW_NAMES } from '../peers/demo/seed-demo-clinic.js';
import {
  invoiceCsv,
  invoiceRows,
  startSupplierPortal,
  type SupplierPortal,
} from '../peers/supplier-portal/index.js';
import { HttpSession } from '../support/test-http.js';
import { makeTempDir } from '../support/temp-dir.js';
import { demoPasswords, startDemoProcess, type DemoProcess } from './demo-process.js';

/**
 * The core's long-lived services, against `npm run demo` as a real process: the inbound webhook
 * listener wakes a real-time flow, the CSV drop watcher processes a dropped file without a manual
 * run, and an outbound delivery left pending by a SIGKILL is sent after the restart.
 */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await delay(100);
  }
}

const ORDER = {
  id: 90_001,
  name: 'P-E2E-1',
  partner_ref: 'E2E-REF',
  date_approve: '2026-03-01 10:00:00',
  amount_total: 42.5,
  state: 'purchase',
};

describe('the core services of a running demo', () => {
  let data: ReturnType<typeof makeTempDir>;
  let demo: DemoProcess;
  let it_: HttpSession;
  let receiver: SupplierPortal;
  let passwords: { admin: string; it: string };
  const inboundSecret = randomBytes(20).toString('hex');
  const receiverSecret = randomBytes(20).toString('hex');
  let realtimeFlow: Flow;
  let realtimeRun: Run;

  beforeAll(async () => {
    data = makeTempDir('osc-e2e-services-');
    receiver = await startSupplierPortal({ secret: receiverSecret });
    demo = await startDemoProcess(data.dir);
    passwords = demoPasswords(demo.output());
    it_ = await HttpSession.signedIn(demo.url, 'it', passwords.it);
  }, 120_000);

  afterAll(async () => {
    const state = { demo, receiver, data } as Partial<{
      demo: DemoProcess;
      receiver: SupplierPortal;
      data: typeof data;
    }>;
    await state.demo?.stop();
    await state.receiver?.close();
    state.data?.cleanup();
  });

  it('reports every service running, and where a webhook-in connection posts', async () => {
    const report = await until('all services running', 20_000, async () => {
      const answer = await it_.value<ServicesReport>('services.status', {});
      return answer.services.every((service) => service.state === 'running') ? answer : null;
    });
    expect(report.services.map((service) => service.name).sort()).toEqual([
      'audit-checkpoint',
      // Running with no witness configured: it has nothing to push (issue 13).
      'audit-witness',
      'csv-drop-watcher',
      'engine',
      'outbound-resume',
      'payload-retention',
      'scheduled-backup',
      'store-integrity',
      'webhook-listener',
    ]);
    expect(report.webhookListenerUrl).toBe(demo.listenerUrl);
  });

  // Before the kill at the end: the reopened demo does not start the emulators again, so there Odoo
  // is down and its circuit breaker rightly keeps a dropped file from starting a run.
  it('a CSV file dropped into the demo folder is processed without a manual run', async () => {
    const flows = await it_.value<Flow[]>('flows.list', {});
    const flow = flows.find((entry) => entry.name === DEMO_FLOW_NAMES.supplierInvoices);
    expect(flow).toBeDefined();
    const folder = join(data.dir, 'supplier-drop', 'incoming');
    const name = 'invoice-2001.csv';
    // Written beside, then renamed in: the watcher never sees half a file.
    await writeFile(join(data.dir, name), invoiceCsv(invoiceRows(2001), 'windows-1252'));
    const droppedAt = new Date().toISOString();
    await rename(join(data.dir, name), join(folder, name));
    const run = await until('a run woken by the drop', 15_000, async () => {
      const runs = await it_.value<Run[]>('runs.list', { flowId: flow?.id });
      return runs.find((entry) => entry.trigger === 'realtime' && entry.queuedAt >= droppedAt) ?? null;
    });
    expect(run.requestedBy).toBe('engine');
    await until('the file taken out of the drop folder', 30_000, () =>
      Promise.resolve(existsSync(join(folder, name)) ? null : true),
    );
    expect(existsSync(join(folder, 'archive', name)) || existsSync(join(folder, 'rejected', name))).toBe(
      true,
    );
  }, 60_000);

  it('a signed webhook to the listener starts its real-time flow within 2 s', async () => {
    const inbound = await it_.value<{ id: string }>('connections.create', {
      name: 'E2E partner events',
      settings: { kind: 'webhook-in', sourceName: 'e2e-partner' },
    });
    await it_.value('connections.setSecret', { id: inbound.id, secret: inboundSecret });
    const outbound = await it_.value<{ id: string }>('connections.create', {
      name: 'E2E receiver',
      settings: { kind: 'webhook-out', url: receiver.url, allowInsecureHttp: true },
    });
    await it_.value('connections.setSecret', { id: outbound.id, secret: receiverSecret });
    const mappings = await it_.value<Mapping[]>('mappings.list', {});
    const mapping = mappings.find((entry) => entry.name === 'Approved purchase order → supplier event');
    expect(mapping?.activeVersion).toBe(1);
    realtimeFlow = await it_.value<Flow>('flows.create', {
      name: 'E2E partner orders → receiver',
      sourceConnectionId: inbound.id,
      sourceSelector: {},
      targetConnectionId: outbound.id,
      targetOperation: { eventType: 'purchase.order.approved' },
      mappingId: mapping?.id,
      schedule: { kind: 'realtime' },
    });
    const report = await it_.value<ServicesReport>('services.status', {});
    const endpoint = report.webhookEndpoints.find((entry) => entry.connectionId === inbound.id);
    expect(endpoint?.webhookUrl).toBe(`${demo.listenerUrl}/hooks/e2e-partner`);

    // The receiver refuses the first delivery for a few seconds: the next test needs it pending.
    receiver.faults.failNext(1, 503, 3);
    const sentAt = Date.now();
    const reply = await postSignedWebhook({
      url: new URL(endpoint?.webhookUrl ?? ''),
      source: 'e2e-partner',
      secret: inboundSecret,
      eventId: 'e2e-order-1',
      eventType: 'purchase.order.approved',
      body: JSON.stringify(ORDER),
      timeoutMs: 5000,
      nowMs: Date.now(),
    });
    expect(reply.status).toBe(202);
    const run = await until('a realtime run', 2000, async () => {
      const runs = await it_.value<Run[]>('runs.list', { flowId: realtimeFlow.id });
      return runs.find((entry) => entry.trigger === 'realtime') ?? null;
    });
    expect(Date.now() - sentAt).toBeLessThanOrEqual(2000);
    expect(run.requestedBy).toBe('engine');
    realtimeRun = run;
  });

  it('an outbound delivery pending when the demo was SIGKILLed is delivered after the restart, once', async () => {
    await until('the refused first delivery', 15_000, () =>
      Promise.resolve(receiver.attempts.some((attempt) => attempt.status === 503) ? true : null),
    );
    // Killed while the run waits out the receiver's Retry-After: the delivery row stays pending.
    await demo.kill();
    expect(receiver.received).toHaveLength(0);
    demo = await startDemoProcess(data.dir);
    expect(demo.output()).toContain('Reopened the demo data folder');
    await until('the pending delivery', 30_000, () =>
      Promise.resolve(receiver.received.length > 0 ? true : null),
    );
    // Counted at the receiving end: sent after the restart, and accepted exactly once.
    expect(receiver.received.map((event) => event.eventId)).toHaveLength(1);
    expect(receiver.received[0]?.body).toMatchObject({ order: ORDER.name, total: ORDER.amount_total });
    await delay(2000);
    expect(receiver.attempts.filter((attempt) => attempt.status === 200)).toHaveLength(1);
    it_ = await HttpSession.signedIn(demo.url, 'it', passwords.it);
    // The resume service (main thread) may deliver before the engine worker has started and marked
    // the killed run interrupted: on a loaded machine the worker's start takes seconds. Wait for it.
    const run = await until('the killed run marked interrupted', 30_000, async () => {
      const current = await it_.value<Run>('runs.get', { id: realtimeRun.id });
      return current.status === 'running' ? null : current;
    });
    expect(run.status).toBe('interrupted');
  }, 90_000);
});
