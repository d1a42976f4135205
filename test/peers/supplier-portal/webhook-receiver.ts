import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The demo supplier portal's webhook endpoint (`POST /webhooks/odoo`): it receives the clinic's
 * purchase-order approvals and checks them the way a partner would, with its own few lines of
 * verification (not the console's code, so a mistake on one side cannot hide in both). Answers:
 * 200 accepted, 401 bad/stale signature, 409 already received, 400 missing headers or not JSON, and
 * whatever fault the test injects.
 */
export interface ReceivedEvent {
  readonly eventId: string;
  readonly eventType: string | null;
  readonly timestamp: number;
  readonly body: unknown;
}

export interface PortalFaults {
  /** The next `count` deliveries get `status` (with Retry-After when given). */
  failNext(count: number, status?: number, retryAfterSeconds?: number): void;
  latencyMs: number;
}

export interface SupplierPortal {
  /** The full webhook URL to configure in the console. */
  readonly url: string;
  readonly received: readonly ReceivedEvent[];
  /** Every request that reached the endpoint, with the status it got. */
  readonly attempts: readonly { eventId: string | null; status: number }[];
  readonly faults: PortalFaults;
  close(): Promise<void>;
}

export async function startSupplierPortal(options: {
  secret: string;
  clockSkewSeconds?: number;
  port?: number;
}): Promise<SupplierPortal> {
  const received: ReceivedEvent[] = [];
  const attempts: { eventId: string | null; status: number }[] = [];
  const queued: { status: number; retryAfterSeconds: number | undefined }[] = [];
  const faults: PortalFaults = {
    latencyMs: 0,
    failNext(count, status = 503, retryAfterSeconds) {
      for (let index = 0; index < count; index += 1) queued.push({ status, retryAfterSeconds });
    },
  };
  const skew = options.clockSkewSeconds ?? 300;

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const eventId = header(request, 'x-osc-event-id');
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      attempts.push({ eventId, status });
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(payload));
    };
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (request.method !== 'POST' || request.url !== '/webhooks/odoo')
      return answer(404, { error: 'not found' });
    const fault = queued.shift();
    if (fault !== undefined) {
      return answer(
        fault.status,
        { error: 'injected' },
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) },
      );
    }
    const timestamp = header(request, 'x-osc-timestamp');
    const source = header(request, 'x-osc-source');
    const signature = header(request, 'x-osc-signature');
    if (eventId === null || timestamp === null || source === null || signature === null)
      return answer(400, { error: 'missing signature headers' });
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > skew)
      return answer(401, { error: 'stale timestamp' });
    // v2: source, timestamp, event id and body, newline-separated (the console's webhook README).
    const expected = createHmac('sha256', options.secret)
      .update(`v2\n${source}\n${timestamp}\n${eventId}\n`)
      .update(body)
      .digest();
    const given = Buffer.from(signature.replace(/^v2=/, ''), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return answer(401, { error: 'bad signature' });
    if (received.some((event) => event.eventId === eventId))
      return answer(409, { error: 'already received' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(400, { error: 'not JSON' });
    }
    received.push({
      eventId,
      eventType: header(request, 'x-osc-event-type'),
      timestamp: Number(timestamp),
      body: parsed,
    });
    answer(200, { ok: true });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/odoo`,
    received,
    attempts,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
}
