import { get } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../../main/store/store-files.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { HttpSession, startTestServer, type TestServer } from '../../support/test-http.js';

const NOW = new Date().toISOString();
const MINUTES_AGO = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

async function scrape(url: string, cookie?: string | null, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/metrics`, {
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** A scrape with the Host header we choose (fetch may not set it), as a rebinding page's would arrive. */
function scrapeAsHost(url: string, cookie: string | null, host: string): Promise<number> {
  const port = Number(new URL(url).port);
  return new Promise((resolve, reject) => {
    const req = get(
      {
        host: '127.0.0.1',
        port,
        path: '/metrics',
        setHost: false,
        headers: { host, ...(cookie ? { cookie } : {}) },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    req.on('error', reject);
  });
}

/** The value of one sample line, found by its name and a label fragment; undefined when absent. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function insertRun(db: Database.Database, id: string, status: string, written: number, failed: number): void {
  db.prepare(
    `INSERT INTO runs (id, flow_id, trigger, requested_by, status, mapping_id, mapping_version,
       written_count, unchanged_count, failed_count, deferred_count, queued_at, started_at, finished_at)
     VALUES (?, 'flow-1', 'manual', 'admin', ?, 'm1', 1, ?, 1, ?, 2, ?, ?, ?)`,
  ).run(id, status, written, failed, MINUTES_AGO(3), MINUTES_AGO(3), MINUTES_AGO(2));
}

describe('GET /metrics on the headless server', () => {
  let harness: TestCore;
  let server: TestServer;
  let viewer: HttpSession;
  let db: Database.Database;

  beforeAll(async () => {
    harness = await startTestCore();
    await harness.operator('watcher', ['viewer']);
    server = await startTestServer(harness);
    viewer = await HttpSession.signedIn(server.url, 'watcher', ADMIN_PASSWORD);
    // A second connection to the same store file seeds rows the way the engine writes them.
    db = new Database(join(harness.dataDir, STORE_FILE));
    db.pragma('busy_timeout = 5000');
  });
  afterAll(async () => {
    db.close();
    await server.close();
    await harness.close();
  });

  it('refuses a scrape without a session, or with a made-up cookie, with 401 and audits it', async () => {
    const none = await scrape(server.url);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const forged = await scrape(server.url, 'osc_session=forged');
    expect(forged.status).toBe(401);
    const refused = db
      .prepare("SELECT detail FROM audit_log WHERE action = 'http.refused' AND target = '/metrics'")
      .all() as { detail: string }[];
    expect(refused.map((r) => JSON.parse(r.detail) as { reason: string; status: number })[0]).toMatchObject({
      reason: 'unauthenticated',
      status: 401,
    });
  });

  it('refuses a foreign Host like every other route', async () => {
    expect(await scrapeAsHost(server.url, viewer.cookie, 'metrics.example.com')).toBe(421);
  });

  it('answers a viewer with Prometheus text 0.0.4 whose values follow the store', async () => {
    const empty = await scrape(server.url, viewer.cookie);
    expect(empty.status).toBe(200);
    expect(empty.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(empty.text).toContain('# TYPE osc_runs_total counter\n');
    expect(sample(empty.text, 'osc_runs_total', 'flow_id="flow-1"')).toBeUndefined();

    db.prepare(
      `INSERT INTO connections (id, name, kind, settings, created_at, updated_at, created_by)
       VALUES ('conn-1', 'Odoo main', 'odoo', '{}', ?, ?, 'admin')`,
    ).run(NOW, NOW);
    db.prepare(
      `INSERT INTO flows (id, name, definition, enabled, last_success_at, created_at, created_by, updated_at, updated_by)
       VALUES ('flow-1', 'Lab results', ?, 1, ?, ?, 'admin', ?, 'admin')`,
    ).run(JSON.stringify({ name: 'Lab results', freshnessObjectiveMinutes: 60 }), MINUTES_AGO(2), NOW, NOW);
    insertRun(db, 'run-1', 'succeeded', 5, 0);
    db.prepare(
      `INSERT INTO connection_breakers (connection_id, state, since, next_probe_at)
       VALUES ('conn-1', 'open', ?, '9999-01-01T00:00:00.000Z')`,
    ).run(NOW);
    const outbox = db.prepare(
      `INSERT INTO outbox_writes (flow_id, connection_id, run_id, order_key, target_key, source_type, source_id,
         source_version, source_json, source_hash, payload_json, payload_hash, mapping_id, mapping_version, reason, queued_at)
       VALUES ('flow-1', 'conn-1', 'run-1', 'k', ?, 't', ?, '1', '{}', 'h', '{}', 'h', 'm1', 1, 'breaker', ?)`,
    );
    outbox.run('a', 'a', MINUTES_AGO(10));
    outbox.run('b', 'b', MINUTES_AGO(1));

    const first = await scrape(server.url, viewer.cookie);
    expect(first.status).toBe(200);
    const flow = 'flow="Lab results",flow_id="flow-1"';
    expect(sample(first.text, 'osc_runs_total', `${flow},status="succeeded"`)).toBe(1);
    expect(sample(first.text, 'osc_records_total', `${flow},outcome="written"`)).toBe(5);
    expect(sample(first.text, 'osc_records_total', `${flow},outcome="deferred"`)).toBe(2);
    expect(sample(first.text, 'osc_outbox_waiting_writes', `${flow},connection="Odoo main"`)).toBe(2);
    const age = sample(first.text, 'osc_outbox_oldest_write_age_seconds', flow) ?? 0;
    expect(age).toBeGreaterThanOrEqual(600);
    expect(age).toBeLessThan(700);
    expect(sample(first.text, 'osc_connection_breaker_state', 'connection_id="conn-1",state="open"')).toBe(1);
    expect(sample(first.text, 'osc_connection_breaker_state', 'connection_id="conn-1",state="closed"')).toBe(
      0,
    );
    expect(sample(first.text, 'osc_flow_freshness_objective_seconds', flow)).toBe(3600);
    expect(sample(first.text, 'osc_flow_freshness_breached', flow)).toBe(0);

    // A second run finishes with failures; the breaker closes and the outbox drains.
    insertRun(db, 'run-2', 'completed-with-failures', 3, 4);
    db.prepare("UPDATE outbox_writes SET state = 'sent', settled_at = ?").run(NOW);
    db.prepare("UPDATE connection_breakers SET state = 'closed'").run();
    db.prepare('UPDATE flows SET last_success_at = ?').run(MINUTES_AGO(90));
    const second = await scrape(server.url, viewer.cookie);
    expect(sample(second.text, 'osc_runs_total', `${flow},status="succeeded"`)).toBe(1);
    expect(sample(second.text, 'osc_runs_total', `${flow},status="completed-with-failures"`)).toBe(1);
    expect(sample(second.text, 'osc_records_total', `${flow},outcome="written"`)).toBe(8);
    expect(sample(second.text, 'osc_records_total', `${flow},outcome="failed"`)).toBe(4);
    expect(sample(second.text, 'osc_outbox_waiting_writes', flow)).toBeUndefined();
    expect(sample(second.text, 'osc_connection_breaker_state', 'connection_id="conn-1",state="closed"')).toBe(
      1,
    );
    expect(sample(second.text, 'osc_flow_freshness_breached', flow)).toBe(1);
  });

  it('refuses a locked session with 401 and audits scrapes as one row per operator and window', async () => {
    const countRows = () =>
      db
        .prepare("SELECT detail FROM audit_log WHERE action = 'metrics.scrape' AND actor = 'watcher'")
        .all() as { detail: string }[];
    // Three scrapes so far by the viewer (empty, first, second): one row written, two counted.
    expect(countRows().map((r) => JSON.parse(r.detail) as unknown)).toEqual([
      { via: 'http:127.0.0.1', scrapes: 1 },
    ]);
    const locker = await HttpSession.signedIn(server.url, 'watcher', ADMIN_PASSWORD);
    expect((await scrape(server.url, locker.cookie)).status).toBe(200);
    await locker.value('session.lock', {});
    const locked = await scrape(server.url, locker.cookie);
    expect(locked.status).toBe(401);
    expect(JSON.parse(locked.text)).toMatchObject({ error: { code: 'session-locked' } });
    await server.close();
    expect(countRows().map((r) => JSON.parse(r.detail) as unknown)).toEqual([
      { via: 'http:127.0.0.1', scrapes: 1 },
      { via: 'http:127.0.0.1', scrapes: 3, repeated: true },
    ]);
  });
});
