import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../main/app/core.js';
import type { Core } from '../../../main/app/core-types.js';
import { createLogger } from '../../../main/log/logger.js';
import { allowedHostNames } from '../../../main/server/host-allow-list.js';
import { createHttpServer } from '../../../main/server/http-server.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { KEYCHAIN_TEST_SERVICE } from '../../support/test-caller.js';

interface RawAnswer {
  readonly status: number;
  readonly body: string;
  readonly setCookie: string[] | undefined;
}

/** A request with the Host header we choose (fetch may not set it), as a rebinding page's would arrive. */
function rawRequest(port: number, path: string, host: string | null, body?: unknown): Promise<RawAnswer> {
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: body === undefined ? 'GET' : 'POST',
        setHost: host !== null,
        headers: {
          ...(host !== null ? { host } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        timeout: 5000,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, body: text, setCookie: res.headers['set-cookie'] }),
        );
      },
    );
    req.on('error', fail);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const FIRST_ADMIN = { username: 'attacker', displayName: 'Rebound', password: 'a long enough password 1' };

describe('Host allow-list on the headless server', () => {
  let data: ReturnType<typeof makeTempDir>;
  let core: Core;
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    // A fresh install: no operator yet, so first-run setup is the public operation a rebinding page wants.
    data = makeTempDir('osc-host-');
    core = await createCore({
      dataDir: data.dir,
      keychainService: KEYCHAIN_TEST_SERVICE,
      logger: createLogger({ level: 'silent' }),
    });
    app = await createHttpServer({
      core,
      logger: createLogger({ level: 'silent' }),
      allowedHosts: allowedHostNames('127.0.0.1', ['console.clinic.lan']),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await app.close();
    await core.close();
    data.cleanup();
  });

  it('refuses first-run setup for a foreign host name before any administrator exists', async () => {
    const rebound = await rawRequest(
      port,
      '/api/ops/session.setupFirstAdmin',
      `rebind.attacker.example:${port}`,
      FIRST_ADMIN,
    );
    expect(rebound.status).toBe(421);
    expect(rebound.setCookie).toBeUndefined();
    const answer = JSON.parse(rebound.body) as { ok: boolean; error: { code: string; message: string } };
    expect(answer.ok).toBe(false);
    expect(answer.error.message).toMatch(/--allowed-host/);
    // Nobody claimed the install: it still asks for its first administrator.
    const status = await rawRequest(port, '/api/ops/session.status', `127.0.0.1:${port}`, {});
    expect(JSON.parse(status.body)).toMatchObject({ ok: true, value: { state: 'setup-required' } });
  });

  it('refuses a foreign host on every route: the page, the event stream, unknown paths, no Host at all', async () => {
    for (const path of ['/', '/api/events', '/api/ops/session.status', '/nothing/here']) {
      const answer = await rawRequest(
        port,
        path,
        'rebind.attacker.example',
        path.includes('ops') ? {} : undefined,
      );
      expect([path, answer.status]).toEqual([path, 421]);
    }
    // Node refuses an HTTP/1.1 request without Host itself (400); our check is behind it for the rest.
    const noHost = await rawRequest(port, '/api/ops/session.status', null, {});
    expect([400, 421]).toContain(noHost.status);
  });

  it('answers the loopback names and the names the operator configured', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      `LOCALHOST:${port}`,
      'console.clinic.lan',
    ]) {
      const answer = await rawRequest(port, '/api/ops/session.status', host, {});
      expect([host, answer.status]).toEqual([host, 200]);
    }
  });

  it('derives the names from the bound address', () => {
    expect(allowedHostNames('127.0.0.1', [])).toEqual(['127.0.0.1', 'localhost', '[::1]']);
    expect(allowedHostNames('::1', ['Console.Clinic.LAN.'])).toEqual([
      '[::1]',
      'localhost',
      '127.0.0.1',
      'console.clinic.lan',
    ]);
    expect(allowedHostNames('192.168.1.20', ['console.clinic.lan'])).toEqual([
      '192.168.1.20',
      'console.clinic.lan',
    ]);
    // A wildcard bind is no name a browser sends; loopback still reaches it.
    expect(allowedHostNames('0.0.0.0', [])).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(() => allowedHostNames('127.0.0.1', ['https://console.lan/'])).toThrow(/--allowed-host/);
    expect(() => allowedHostNames('127.0.0.1', ['*'])).toThrow(/--allowed-host/);
  });
});
