import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HTTP_STATUS_FOR_ERROR } from '../../../main/server/http-status.js';
import type { ServicesReport } from '../../../shared/contract/ops/service-ops.js';
import type { Connection } from '../../../shared/domain/connection.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import type { TestCaller } from '../../support/test-caller.js';
import { until } from '../../support/until.js';

/**
 * A webhook-in connection's own listen address (issue 9): one listener per address in use, each
 * found in the connection's API answer; a source is accepted only on its own connection's listener
 * (anywhere else it is an unknown source, 404); the set follows connection changes without a
 * restart; a taken port fails only its own listener; every refusal is audited, coalesced.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return address.port;
}

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

interface Posted {
  readonly status: number;
  readonly error: string | null;
}

/** One event signed by the recipe of main/connectors/webhook/README.md, posted to `url`. */
async function postSigned(url: string, source: string, secret: string, eventId: string): Promise<Posted> {
  const body = JSON.stringify({ type: 'lab.result', id: eventId });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret)
    .update(`v2\n${source}\n${timestamp}\n${eventId}\n${body}`)
    .digest('hex');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-osc-timestamp': timestamp,
      'x-osc-event-id': eventId,
      'x-osc-signature': `v2=${signature}`,
    },
    body,
  });
  const answer = (await response.json()) as { error?: string };
  return { status: response.status, error: answer.error ?? null };
}

async function createSource(
  admin: TestCaller,
  sourceName: string,
  secret: string,
  listen: { listenHost?: string; listenPort?: number } = {},
): Promise<Connection> {
  const created = await admin.value('connections.create', {
    name: sourceName,
    settings: { kind: 'webhook-in', sourceName, ...listen },
  });
  await admin.value('connections.setSecret', { id: created.id, secret });
  return created;
}

/** The connection's own answer once its listener listens: the URL to post to. */
async function listeningUrl(admin: TestCaller, id: string, port: number): Promise<string> {
  return until(`connection ${id} listening on ${port}`, async () => {
    const answer = await admin.value('connections.get', { id });
    const inbound = answer.inbound;
    return inbound?.listening === true && inbound.url.includes(`:${port}/`) ? inbound.url : null;
  });
}

const serviceOf = (report: ServicesReport, address: string) => {
  const listener = report.webhookListeners.find((entry) => entry.address === address);
  return report.services.find((entry) => entry.name === listener?.service);
};

describe('webhook-in connections with listen addresses of their own', () => {
  let harness: TestCore | null = null;
  let blocker: Server | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = null;
  });

  it('receives each source on its own port only, and moves a listener when its port changes', async () => {
    harness = await startTestCore({ services: { webhookListener: { port: 0 } } });
    const admin = harness.admin;
    const [portA, portB, portC] = [await freePort(), await freePort(), await freePort()];
    const secretA = randomBytes(16).toString('hex');
    const secretB = randomBytes(16).toString('hex');
    const a = await createSource(admin, 'lab-a', secretA, { listenPort: portA });
    const b = await createSource(admin, 'lab-b', secretB, { listenHost: '127.0.0.1', listenPort: portB });

    const urlA = await listeningUrl(admin, a.id, portA);
    const urlB = await listeningUrl(admin, b.id, portB);
    expect(urlA).toBe(`http://127.0.0.1:${portA}/hooks/lab-a`);
    expect(urlB).toBe(`http://127.0.0.1:${portB}/hooks/lab-b`);
    expect(await postSigned(urlA, 'lab-a', secretA, 'a-1')).toEqual({ status: 202, error: null });
    expect(await postSigned(urlB, 'lab-b', secretB, 'b-1')).toEqual({ status: 202, error: null });

    // Correctly signed, but on the other connection's listener (or the default one): unknown there.
    const wrong = { status: 404, error: 'unknown-source' };
    expect(await postSigned(`http://127.0.0.1:${portB}/hooks/lab-a`, 'lab-a', secretA, 'a-2')).toEqual(wrong);
    expect(await postSigned(`http://127.0.0.1:${portA}/hooks/lab-b`, 'lab-b', secretB, 'b-2')).toEqual(wrong);
    const report = await admin.value('services.status', {});
    const fallback = report.webhookListenerUrl ?? 'none';
    expect(await postSigned(`${fallback}/hooks/lab-a`, 'lab-a', secretA, 'a-3')).toEqual(wrong);
    // One service per address in use (as configured: the default one takes a free port), the default first.
    expect(report.webhookListeners.map((entry) => entry.address)).toEqual([
      '127.0.0.1:0',
      `127.0.0.1:${portA}`,
      `127.0.0.1:${portB}`,
    ]);
    expect(serviceOf(report, `127.0.0.1:${portA}`)).toMatchObject({ state: 'running' });
    expect(report.webhookEndpoints.map((entry) => entry.webhookUrl).sort()).toEqual([urlA, urlB].sort());

    // Moving A to another port: its new listener starts, the old one stops, nothing restarts.
    await admin.value('connections.update', {
      id: a.id,
      name: 'lab-a',
      settings: { kind: 'webhook-in', sourceName: 'lab-a', listenPort: portC },
    });
    const movedUrl = await listeningUrl(admin, a.id, portC);
    expect(await postSigned(movedUrl, 'lab-a', secretA, 'a-4')).toEqual({ status: 202, error: null });
    await until('the old listener closed', async () => {
      try {
        await postSigned(urlA, 'lab-a', secretA, 'a-5');
        return null;
      } catch {
        return true;
      }
    });
    const after = await admin.value('services.status', {});
    expect(after.webhookListeners.map((entry) => entry.address)).not.toContain(`127.0.0.1:${portA}`);
    expect(serviceOf(after, `127.0.0.1:${portB}`)).toMatchObject({ state: 'running', restarts: 0 });

    // Deleting B stops its listener too.
    await admin.value('connections.delete', { id: b.id });
    const gone = await admin.value('services.status', {});
    expect(gone.webhookListeners.map((entry) => entry.address)).not.toContain(`127.0.0.1:${portB}`);
  });

  it('shows a listener whose port is taken as failed with the reason, the others keep running', async () => {
    harness = await startTestCore({
      services: { webhookListener: { port: 0 }, restartInitialDelayMs: 20, restartMaxDelayMs: 40 },
    });
    const admin = harness.admin;
    const taken = await freePort();
    blocker = await occupy(taken);
    const free = await freePort();
    const busy = await createSource(admin, 'busy-lab', 'x'.repeat(32), { listenPort: taken });
    const fine = await createSource(admin, 'fine-lab', 'y'.repeat(32), { listenPort: free });
    const failed = await until('the busy listener failed', async () => {
      const report = await admin.value('services.status', {});
      const status = serviceOf(report, `127.0.0.1:${taken}`);
      return status?.state === 'failed' ? status : null;
    });
    expect(failed.lastError).toMatch(/EADDRINUSE/);
    const answer = await admin.value('connections.get', { id: busy.id });
    expect(answer.inbound).toMatchObject({ listening: false });
    expect(answer.inbound?.listening === false ? answer.inbound.reason : '').toMatch(
      new RegExp(`127\\.0\\.0\\.1:${taken} is failed .*EADDRINUSE`),
    );
    await listeningUrl(admin, fine.id, free);
    const report = await admin.value('services.status', {});
    expect(report.services.find((entry) => entry.name === 'webhook-listener')?.state).toBe('running');
  });

  it('refuses a non-loopback listen host unless the console may bind publicly (400)', async () => {
    harness = await startTestCore({ services: { webhookListener: { port: 0 } } });
    const refused = await harness.admin.call('connections.create', {
      name: 'Public',
      settings: { kind: 'webhook-in', sourceName: 'public-lab', listenHost: '0.0.0.0', listenPort: 4790 },
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('invalid-input');
    expect(HTTP_STATUS_FOR_ERROR[refused.error.code]).toBe(400);
    expect(refused.error.message).toMatch(
      /0\.0\.0\.0 is not a loopback address.*--tls-cert.*--insecure-http/,
    );
    expect(await harness.admin.value('connections.list', {})).toEqual([]);

    // An update is held to the same rule.
    const local = await createSource(harness.admin, 'local-lab', 'z'.repeat(32));
    const update = await harness.admin.call('connections.update', {
      id: local.id,
      name: 'local-lab',
      settings: { kind: 'webhook-in', sourceName: 'local-lab', listenHost: '192.0.2.10' },
    });
    expect(update.ok ? 'saved' : update.error.code).toBe('invalid-input');
  });

  it('audits every refusal as webhook.refused, coalesced, and the audit chain verifies', async () => {
    harness = await startTestCore({ services: { webhookListener: { port: 0, refusalWindowMs: 300 } } });
    const admin = harness.admin;
    const secret = randomBytes(16).toString('hex');
    const created = await createSource(admin, 'lab-results', secret);
    const url = await until('listening', async () => {
      const answer = await admin.value('connections.get', { id: created.id });
      return answer.inbound?.listening === true ? answer.inbound.url : null;
    });
    const forged = 'f'.repeat(32);
    for (let attempt = 0; attempt < 6; attempt += 1) {
      expect(await postSigned(url, 'lab-results', forged, `forged-${attempt}`)).toMatchObject({
        status: 401,
        error: 'bad-signature',
      });
    }
    const base = url.replace(/\/hooks\/.*$/, '');
    expect(await postSigned(`${base}/hooks/nobody`, 'nobody', secret, 'n-1')).toMatchObject({ status: 404 });

    const rows = await until('the coalesced count written', async () => {
      const page = await admin.value('audit.list', { action: 'webhook.refused', limit: 50 });
      return page.entries.length >= 3 ? page.entries : null;
    });
    const details = rows.map((row) => ({
      target: row.target,
      outcome: row.outcome,
      ...(JSON.parse(row.detail) as Record<string, unknown>),
    }));
    const listener = new URL(base).host;
    expect(details).toHaveLength(3);
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          target: 'lab-results',
          outcome: 'denied',
          reason: 'bad-signature',
          status: 401,
          listener,
          via: 'webhook:127.0.0.1',
          count: 1,
        }),
        expect.objectContaining({ target: 'lab-results', reason: 'bad-signature', count: 5, repeated: true }),
        expect.objectContaining({ target: 'nobody', outcome: 'error', reason: 'unknown-source', count: 1 }),
      ]),
    );
    // Never the body, the signature or a header value.
    const written = JSON.stringify(rows);
    expect(written).not.toMatch(/forged-|lab\.result|v2=|application\/json/);
    expect(await admin.value('audit.verify', {})).toMatchObject({ ok: true });
  });
});
