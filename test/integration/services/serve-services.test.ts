import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../main/cli/commands/serve.js';
import { makeTempDir } from '../../support/temp-dir.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return address.port;
}

describe('osc serve starts the core services', () => {
  let server: RunningServer | null = null;
  let data: ReturnType<typeof makeTempDir> | null = null;
  afterEach(async () => {
    await server?.close();
    data?.cleanup();
  });

  it('listens for partner webhooks on --webhook-port and says where', async () => {
    data = makeTempDir('osc-serve-services-');
    const webhookPort = await freePort();
    let printed = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        printed += chunk.toString();
        done();
      },
    });
    server = await startServer(
      { dataDir: data.dir, host: '127.0.0.1', port: 0, insecureHttp: false, webhookPort },
      out,
    );
    expect(printed).toContain(`Inbound webhooks: POST http://127.0.0.1:${webhookPort}/hooks/<source>`);
    const deadline = Date.now() + 5000;
    let answer: { status: number; body: unknown } | null = null;
    while (answer === null) {
      try {
        const response = await fetch(`http://127.0.0.1:${webhookPort}/hooks/no-such-source`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        answer = { status: response.status, body: await response.json() };
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await delay(50);
      }
    }
    expect(answer).toMatchObject({ status: 404, body: { error: 'unknown-source' } });
  });

  it('prints the webhook address actually bound, or why its port is not listening', async () => {
    data = makeTempDir('osc-serve-services-');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const takenPort = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      let printed = '';
      const out = new Writable({
        write(chunk: Buffer, _encoding, done) {
          printed += chunk.toString();
          done();
        },
      });
      server = await startServer(
        { dataDir: data.dir, host: '127.0.0.1', port: 0, insecureHttp: false, webhookPort: takenPort },
        out,
      );
      expect(printed).toMatch(
        new RegExp(`Inbound webhooks on 127\\.0\\.0\\.1:${takenPort}: not listening \\(listen EADDRINUSE`),
      );
      expect(printed).not.toContain('Inbound webhooks: POST');
      await server.close();
      server = null;

      // Port 0 takes a free port: the line names the one the OS gave, not 0.
      printed = '';
      server = await startServer(
        { dataDir: data.dir, host: '127.0.0.1', port: 0, insecureHttp: false, webhookPort: 0 },
        out,
      );
      const bound = /Inbound webhooks: POST http:\/\/127\.0\.0\.1:(\d+)\/hooks\/<source>/.exec(printed);
      expect(Number(bound?.[1] ?? 0)).toBeGreaterThan(0);
      const response = await fetch(`http://127.0.0.1:${bound?.[1] ?? 0}/hooks/nobody`, { method: 'POST' });
      expect(response.status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
