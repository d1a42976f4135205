import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../main/log/logger.js';
import { createHttpServer } from '../../main/server/http-server.js';
import type { TestCore } from './test-core.js';

export interface TestServer {
  readonly url: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** The real headless server on 127.0.0.1 (a free port) over a test core. */
export async function startTestServer(harness: TestCore, rendererDir?: string): Promise<TestServer> {
  const app = await createHttpServer({
    core: harness.core,
    logger: createLogger({ level: 'silent' }),
    rendererDir,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('server has no address');
  return { url: `http://127.0.0.1:${address.port}`, app, close: () => app.close() };
}

/** A tiny browser stand-in: keeps the session cookie and the CSRF token like the console client. */
export class HttpSession {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(private readonly baseUrl: string) {}

  async op(name: string, body: unknown, init: { headers?: Record<string, string>; raw?: string } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrf;
    const response = await fetch(`${this.baseUrl}/api/ops/${name}`, {
      method: 'POST',
      headers,
      body: init.raw ?? JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? null;
    const json = (await response.json()) as {
      ok: boolean;
      value?: { csrfToken?: string };
      error?: { code: string };
    };
    if (json.ok && typeof json.value?.csrfToken === 'string') this.csrf = json.value.csrfToken;
    return { status: response.status, json, setCookie, headers: response.headers };
  }

  /** The operation's value; a refusal throws with the server's answer. */
  async value<T>(name: string, input: unknown): Promise<T> {
    const answer = await this.op(name, input);
    if (!answer.json.ok) throw new Error(`${name} failed: ${JSON.stringify(answer.json)}`);
    return answer.json.value as T;
  }

  /** A session signed in as this operator (a refused sign-in throws). */
  static async signedIn(url: string, username: string, password: string): Promise<HttpSession> {
    const session = new HttpSession(url);
    await session.value('session.login', { username, password });
    return session;
  }
}
