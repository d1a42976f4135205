import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MappedPreview } from '../../../shared/domain/mapping.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { HttpSession, startTestServer, type TestServer } from '../../support/test-http.js';

/**
 * A mapping preview is evaluated in the engine worker: a JSONata expression that runs for seconds
 * (each sample is stopped by the guarded evaluation's timeout, the whole preview by its budget)
 * holds that worker, while the server goes on answering other requests.
 */
const SLOW = {
  key: '"k"',
  fields: [{ target: 'n', expression: '$sum($map([1..5000000], function($v) { $v * 2 }))' }],
};

describe('mapping previews off the serving thread', () => {
  let harness: TestCore;
  let server: TestServer;
  let session: HttpSession;

  beforeAll(async () => {
    harness = await startTestCore();
    server = await startTestServer(harness);
    session = new HttpSession(server.url);
    const login = await session.op('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.json.ok).toBe(true);
  });
  afterAll(async () => {
    await server.close();
    await harness.close();
  });

  it('answers session.status while a slow preview runs, and bounds the preview', async () => {
    // A quick preview first: the engine worker is up and previews through it.
    const quick = await session.op('mappings.preview', {
      spec: { key: '"p_" & id', fields: [{ target: 'name', expression: 'name' }] },
      samples: [{ id: 1, name: 'A' }],
    });
    expect(quick.json).toMatchObject({ ok: true, value: [{ ok: true, key: 'p_1', payload: { name: 'A' } }] });

    let previewDone = false;
    const slow = session.op('mappings.preview', { spec: SLOW, samples: [{}, {}, {}, {}] }).then((reply) => {
      previewDone = true;
      return reply;
    });
    await sleep(500);
    const status = await session.op('session.status', {});
    expect(status.json.ok).toBe(true);
    // On the serving thread, this answer would only have come once the preview had finished.
    expect(previewDone).toBe(false);

    const reply = await slow;
    expect(reply.json.ok).toBe(true);
    const results = (reply.json as unknown as { value: MappedPreview[] }).value;
    expect(results).toHaveLength(4);
    expect(results.every((result) => !result.ok)).toBe(true);
    expect(results[0]?.error).toMatch(/timeout/i);
    // Three samples at ≈ 2 s each use up the 5 s budget: the fourth is not evaluated.
    expect(results[3]?.error).toMatch(/Not evaluated/);
  });
});
