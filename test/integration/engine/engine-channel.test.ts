import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../main/engine/worker/engine-client.js';
import { EngineHost } from '../../../main/engine/worker/engine-host.js';
import type { FromWorker } from '../../../main/engine/worker/engine-protocol.js';
import { openStore } from '../../../main/store/open-store.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** The engine worker's message channel: every malformed or refused message gets a clean answer. */
describe('engine channel', () => {
  const temp = makeTempDir('osc-channel-');
  afterAll(() => temp.cleanup());

  it('the host answers bad requests with codes, never throws, and ignores garbage', async () => {
    const sent: FromWorker[] = [];
    const host = new EngineHost({ postMessage: (message) => sent.push(message) });
    await host.handle('garbage');
    await host.handle({ kind: 'request', id: 'x' });
    expect(sent).toEqual([]);
    await host.handle({ kind: 'request', id: 1, type: 'status', input: {} });
    expect(sent.pop()).toMatchObject({ kind: 'response', id: 1, ok: false, error: { code: 'unavailable' } });

    const dataDir = join(temp.dir, 'store');
    openStore({ dataDir, log: { warn: () => undefined } }).close();
    await host.handle({ kind: 'init', dataDir });
    expect(sent.shift()).toMatchObject({ kind: 'ready' });
    await host.handle({ kind: 'request', id: 2, type: 'explode', input: {} });
    expect(sent.pop()).toMatchObject({ id: 2, ok: false, error: { code: 'invalid-input' } });
    await host.handle({ kind: 'request', id: 3, type: 'enqueue', input: { flowId: 'flow_x; DROP TABLE' } });
    expect(sent.pop()).toMatchObject({ id: 3, ok: false, error: { code: 'invalid-input' } });
    await host.handle({
      kind: 'request',
      id: 4,
      type: 'enqueue',
      input: { flowId: 'flow_doesnotexist0', trigger: 'manual', requestedBy: 't', backfillFrom: null },
    });
    expect(sent.pop()).toMatchObject({ id: 4, ok: false, error: { code: 'not-found' } });
    await host.handle({ kind: 'request', id: 5, type: 'status', input: {} });
    expect(sent.pop()).toMatchObject({ id: 5, ok: true, value: { activeRuns: 0, queuedRuns: 0 } });
    await host.handle({ kind: 'stop' });
    expect(sent.pop()).toEqual({ kind: 'stopped' });
  });

  it('a worker that cannot open its store fails to start with the reason, and is retried', async () => {
    const notAStore = join(temp.dir, 'broken');
    openStore({ dataDir: notAStore, log: { warn: () => undefined } }).close();
    writeFileSync(join(notAStore, 'osc.sqlite'), 'this is not a database');
    chmodSync(join(notAStore, 'osc.sqlite'), 0o600);
    const logs: string[] = [];
    const client = new EngineClient({
      dataDir: notAStore,
      secrets: { read: () => Promise.resolve(null) },
      publish: () => undefined,
      log: (message) => logs.push(message),
      restartDelayMs: 10_000,
    });
    try {
      await expect(client.start()).rejects.toThrow(/database|not a/i);
      expect(logs.join('\n')).toMatch(/could not start/);
    } finally {
      await client.close();
    }
  }, 30_000);

  it('a real worker answers over the channel and survives a kill', async () => {
    const dataDir = join(temp.dir, 'live');
    openStore({ dataDir, log: { warn: () => undefined } }).close();
    const client = new EngineClient({
      dataDir,
      secrets: { read: () => Promise.resolve(null) },
      publish: () => undefined,
      restartDelayMs: 20,
    });
    try {
      const status = await client.call('status', {});
      await client.kill();
      const deadline = Date.now() + 20_000;
      let after: typeof status | null = null;
      while (after === null && Date.now() < deadline) {
        after = await client.call('status', {}).catch(() => null);
        if (after === null) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(after?.ownerId).toBeDefined();
      expect(after?.ownerId).not.toBe(status.ownerId);
    } finally {
      await client.close();
    }
    await expect(client.call('status', {})).rejects.toThrow(/closed/);
  }, 30_000);
});
