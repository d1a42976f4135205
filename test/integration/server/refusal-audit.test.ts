import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../main/log/logger.js';
import { createHttpServer } from '../../../main/server/http-server.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { HttpSession } from '../../support/test-http.js';
import { until } from '../../support/until.js';

/** Short, so the flood test sees its window close; the product's default is a minute. */
const WINDOW_MS = 1500;
const BODY_SECRET = 'body-secret-7f3a9c';
const QUERY_SECRET = 'query-secret-51be2d';
const HEADER_SECRET = 'header-secret-c0ffee';

interface RefusalRow {
  readonly entry: AuditEntry;
  readonly detail: Record<string, unknown>;
}

/** One request with headers fetch will not send (a foreign Host), straight over node:http. */
function rawRequest(
  port: number,
  path: string,
  headers: Record<string, string>,
  body = '{}',
): Promise<number> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers, timeout: 5000 },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

describe('every refusal of the HTTP layer leaves an audit row', () => {
  let harness: TestCore;
  let app: FastifyInstance;
  let url = '';
  let port = 0;
  let admin: HttpSession;
  let lastSeq = 0;

  /** The http.refused rows written since the previous call, oldest first. */
  async function newRows(): Promise<RefusalRow[]> {
    const page = await harness.admin.value('audit.list', { action: 'http.refused', limit: 500 });
    const fresh = page.entries.filter((entry) => entry.seq > lastSeq).reverse();
    lastSeq = Math.max(lastSeq, ...fresh.map((entry) => entry.seq));
    return fresh.map((entry) => ({ entry, detail: JSON.parse(entry.detail) as Record<string, unknown> }));
  }

  /** Exactly one new row, for this reason, holding no secret this suite ever sent. */
  async function oneRow(reason: string): Promise<RefusalRow> {
    const rows = await newRows();
    expect(rows.map((row) => row.detail.reason)).toEqual([reason]);
    const row = rows[0] as RefusalRow;
    const text = JSON.stringify(row.entry);
    for (const secret of [BODY_SECRET, QUERY_SECRET, HEADER_SECRET, ADMIN_PASSWORD]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain(admin.cookie?.split('=')[1] ?? 'no cookie');
    expect(text).not.toContain(admin.csrf ?? 'no token');
    expect(row.detail.via).toBe('http:127.0.0.1');
    return row;
  }

  beforeAll(async () => {
    harness = await startTestCore();
    app = await createHttpServer({
      core: harness.core,
      logger: createLogger({ level: 'silent' }),
      refusalAudit: { windowMs: WINDOW_MS },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    url = `http://127.0.0.1:${port}`;
    admin = new HttpSession(url);
    const login = await admin.op('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    await newRows();
  });
  afterAll(async () => {
    await app.close();
    await harness.close();
  });

  it('records a wrong CSRF token against the signed-in operator, without the token', async () => {
    const wrong = await admin.op('connections.list', {}, { headers: { 'x-csrf-token': HEADER_SECRET } });
    expect(wrong.status).toBe(403);
    const row = await oneRow('csrf-token');
    expect([row.entry.actor, row.entry.target, row.entry.outcome]).toEqual([
      'admin',
      '/api/ops/connections.list',
      'denied',
    ]);
    expect(row.detail).toMatchObject({ method: 'POST', status: 403, count: 1 });
  });

  it('records a foreign Origin and a cross-site fetch', async () => {
    await admin.op('connections.list', {}, { headers: { origin: 'https://evil.example' } });
    expect((await oneRow('cross-origin')).entry.actor).toBe('admin');
    await admin.op('connections.list', {}, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect((await oneRow('cross-site')).detail.status).toBe(403);
  });

  it('records a body that is not JSON, without the body', async () => {
    const text = await admin.op('connections.list', null, {
      raw: JSON.stringify({ password: BODY_SECRET }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(400);
    expect((await oneRow('content-type')).entry.outcome).toBe('error');
  });

  it('records an unknown operation by its path, without the query string', async () => {
    const unknown = await admin.op(`connections.explode?token=${QUERY_SECRET}`, {});
    expect(unknown.status).toBe(404);
    expect((await oneRow('unknown-operation')).entry.target).toBe('/api/ops/connections.explode');
  });

  it('records an oversized body (413) and malformed JSON without their content', async () => {
    const huge = await admin.op('connections.setSecret', null, {
      raw: JSON.stringify({ id: 'conn_abcdefghij', secret: BODY_SECRET.repeat(30_000) }),
    });
    expect(huge.status).toBe(413);
    expect((await oneRow('body-too-large')).detail).toMatchObject({ status: 413, method: 'POST' });
    const malformed = await admin.op('session.unlock', null, { raw: `{"password":"${BODY_SECRET}` });
    expect(malformed.status).toBe(400);
    const row = await oneRow('malformed-json');
    expect([row.entry.actor, row.entry.target]).toEqual(['admin', '/api/ops/session.unlock']);
  });

  it('records a foreign Host (421) with the operator of the cookie it carried', async () => {
    const status = await rawRequest(port, '/api/ops/session.status', {
      host: 'rebind.attacker.example',
      'content-type': 'application/json',
      cookie: admin.cookie ?? '',
      'x-csrf-token': HEADER_SECRET,
    });
    expect(status).toBe(421);
    const row = await oneRow('foreign-host');
    expect([row.entry.actor, row.entry.target, row.detail.status]).toEqual([
      'admin',
      '/api/ops/session.status',
      421,
    ]);
  });

  it('records an unknown endpoint and an anonymous event stream as anonymous', async () => {
    const nowhere = await fetch(`${url}/api/nothing-here`, { method: 'POST', body: '{}' });
    expect(nowhere.status).toBe(404);
    expect((await oneRow('no-such-endpoint')).entry.actor).toBe('anonymous');
    const events = await fetch(`${url}/api/events`, { signal: AbortSignal.timeout(5000) });
    expect(events.status).toBe(401);
    const row = await oneRow('unauthenticated');
    expect([row.entry.actor, row.entry.target, row.detail.method]).toEqual([
      'anonymous',
      '/api/events',
      'GET',
    ]);
  });

  it('coalesces a flood: one row at once, one counted row when the window closes', async () => {
    const flood = 40;
    // Sent at once so all land in one window; the path varies, the key (reason, remote, operator) not.
    const statuses = await Promise.all(
      Array.from({ length: flood }, (_, index) =>
        fetch(`${url}/api/ops/flood.op${index}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }).then((response) => response.status),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([404]));
    const first = await oneRow('unknown-operation');
    expect([first.entry.actor, first.detail.count]).toEqual(['anonymous', 1]);
    expect(first.entry.target).toMatch(/^\/api\/ops\/flood\.op\d+$/);
    const closing = await until('the flood window closes', async () => {
      const rows = await newRows();
      return rows.length > 0 ? rows : null;
    });
    expect(closing.map((row) => [row.detail.reason, row.detail.count, row.detail.repeated])).toEqual([
      ['unknown-operation', flood - 1, true],
    ]);
  });

  it('leaves an audit chain that still verifies', async () => {
    const verification = await harness.admin.value('audit.verify', {});
    expect(verification.ok).toBe(true);
    expect(verification.rows).toBeGreaterThan(12);
  });
});
