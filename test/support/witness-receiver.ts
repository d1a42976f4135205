import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WitnessRequest {
  readonly eventId: string;
  readonly source: string;
  readonly eventType: string;
  /** Whether x-osc-signature is the HMAC the test computes itself with the shared secret. */
  readonly signatureValid: boolean;
  readonly body: {
    checkpoint: { storeId: string; seq: number; headHash: string; merkleRoot: string; at: string };
    signature: string;
    keyId: string;
    publicKeyPem: string | null;
  };
}

/**
 * A checkpoint witness on 127.0.0.1, as a clinic's system would run one: it checks the console's
 * HMAC-SHA256 signature itself (written here from the documented scheme, not with the console's code)
 * and keeps what it received. It can be stopped and started again on the same port.
 */
export class WitnessReceiver {
  readonly received: WitnessRequest[] = [];
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/witness`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const header = (name: string): string => String(request.headers[name] ?? '');
        const expected = createHmac('sha256', this.secret)
          .update(
            `v2\n${header('x-osc-source')}\n${header('x-osc-timestamp')}\n${header('x-osc-event-id')}\n`,
          )
          .update(raw)
          .digest();
        const given = Buffer.from(header('x-osc-signature').replace(/^v2=/, ''), 'hex');
        const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
        this.received.push({
          eventId: header('x-osc-event-id'),
          source: header('x-osc-source'),
          eventType: header('x-osc-event-type'),
          signatureValid,
          body: JSON.parse(raw.toString('utf8')) as WitnessRequest['body'],
        });
        response.writeHead(signatureValid ? 200 : 401).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
