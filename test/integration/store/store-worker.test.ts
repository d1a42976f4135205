import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import {
  StoreWorkerClient,
  StoreWorkerError,
  runInStoreWorker,
} from '../../../main/store/worker/store-worker-client.js';
import { resolveStoreWorkerEntry } from '../../../main/store/worker/store-worker-entry.js';
import { dispatchStoreRequest } from '../../../main/store/worker/dispatch-store-request.js';
import type { StoreWorkerRequestType } from '../../../main/store/worker/store-worker-protocol.js';
import { quietLog, sampleEntries, useTempDataDir } from './temp-data-dir.js';

const temp = useTempDataDir();

function seedStore(rows: number): void {
  const store = openStore({ dataDir: temp.dataDir(), log: quietLog });
  store.audit.appendMany(sampleEntries(rows));
  store.close();
}

async function failureOf(promise: Promise<unknown>): Promise<StoreWorkerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StoreWorkerError);
    return error as StoreWorkerError;
  }
  throw new Error('expected the call to fail');
}

describe('store worker (a real worker thread, own connection)', () => {
  it('verifies the audit chain and takes a backup while the main thread keeps its store open', async () => {
    seedStore(40);
    const store = openStore({ dataDir: temp.dataDir(), log: quietLog });
    const client = new StoreWorkerClient();
    try {
      expect(await client.verifyAudit(temp.dataDir())).toMatchObject({ ok: true, rows: 40, headSeq: 40 });
      store.audit.append(sampleEntries(1)[0]!);
      const backup = await client.backup(temp.dataDir(), 'worker');
      expect(backup.path).toMatch(/-worker\.sqlite$/);
      expect(backup.bytes).toBeGreaterThan(0);
      expect(await client.verifyAudit(temp.dataDir())).toMatchObject({ ok: true, rows: 41 });
    } finally {
      await client.close();
      store.close();
    }
  });

  it('answers concurrent calls by id', async () => {
    seedStore(5);
    const client = new StoreWorkerClient();
    try {
      const results = await Promise.all([
        client.verifyAudit(temp.dataDir()),
        client.backup(temp.dataDir(), 'one'),
        client.verifyAudit(temp.dataDir()),
      ]);
      expect(results[0]).toMatchObject({ ok: true, rows: 5 });
      expect(results[1]).toMatchObject({ path: expect.stringMatching(/-one\.sqlite$/) as string });
      expect(results[2]).toMatchObject({ ok: true, rows: 5 });
    } finally {
      await client.close();
    }
  });

  it('sends errors across as {code, message} without a stack', async () => {
    const client = new StoreWorkerClient();
    try {
      const missing = await failureOf(client.verifyAudit(join(temp.root(), 'nowhere')));
      expect(missing.code).toBe('store-missing');
      expect(missing.message).toMatch(/There is no store at/);
      expect(missing.message).not.toMatch(/\n\s+at /);
      seedStore(1);
      const badReason = await failureOf(client.backup(temp.dataDir(), 'NOT OK'));
      expect(badReason.code).toBe('invalid-backup-reason');
    } finally {
      await client.close();
    }
  });

  it('refuses malformed requests: wrong input types, unknown fields, unknown request types', async () => {
    const client = new StoreWorkerClient();
    try {
      const wrongType = await failureOf(
        client.call('verifyAudit', { dataDir: 42 } as unknown as { dataDir: string }),
      );
      expect(wrongType.code).toBe('invalid-request');
      expect(wrongType.message).toMatch(/dataDir/);
      const extra = await failureOf(
        client.call('verifyAudit', { dataDir: temp.dataDir(), sql: 'DROP TABLE x' } as { dataDir: string }),
      );
      expect(extra.code).toBe('invalid-request');
      const huge = await failureOf(client.call('verifyAudit', { dataDir: 'x'.repeat(100_000) }));
      expect(huge.code).toBe('invalid-request');
      const unknown = await failureOf(
        client.call('dropEverything' as StoreWorkerRequestType, { dataDir: 'x' }),
      );
      expect(unknown.code).toBe('unknown-request');
    } finally {
      await client.close();
    }
  });

  it('a call that outlives its timeout ends the worker; the next call gets a fresh one', async () => {
    seedStore(3);
    const impatient = new StoreWorkerClient({ callTimeoutMs: 1 });
    try {
      const late = await failureOf(impatient.verifyAudit(temp.dataDir()));
      expect(late.code).toBe('worker-timeout');
    } finally {
      await impatient.close();
    }
    const patient = new StoreWorkerClient({ callTimeoutMs: 20_000 });
    try {
      expect(await patient.verifyAudit(temp.dataDir())).toMatchObject({ ok: true, rows: 3 });
    } finally {
      await patient.close();
    }
  });

  it('close() fails calls in flight and every later call', async () => {
    seedStore(3);
    const client = new StoreWorkerClient();
    const inFlight = failureOf(client.verifyAudit(temp.dataDir()));
    await client.close();
    expect((await inFlight).code).toBe('worker-closed');
    expect((await failureOf(client.verifyAudit(temp.dataDir()))).code).toBe('worker-closed');
  });

  it("counts a report's period in the worker, with the filter the main side resolved", async () => {
    seedStore(12);
    const client = new StoreWorkerClient();
    try {
      // sampleEntries: even rows are connections.update, odd ones flow.record.loaded, all ok.
      const all = await client.auditSummary(temp.dataDir(), {}, 5);
      expect(all).toMatchObject({ totalRows: 12, byOutcome: { ok: 12, denied: 0, error: 0 } });
      expect(all.entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(all.truncated).toBe(true);
      const family = await client.auditSummary(temp.dataDir(), { action: 'connections' }, 100);
      expect(family.topActions).toEqual([{ action: 'connections.update', count: 6 }]);
      expect(family.truncated).toBe(false);
      const hidden = await client.auditSummary(
        temp.dataDir(),
        { targets: ['target-3', 'target-4'], hideOkActions: ['connections.update'] },
        100,
      );
      expect(hidden.entries.map((entry) => entry.target)).toEqual(['target-4']);
      // A filter the main side never sends (SQL in a field, a huge list) is refused, not run.
      const refused = await failureOf(
        client.call('auditSummary', {
          dataDir: temp.dataDir(),
          filter: { where: '1=1' } as never,
          maxRows: 10,
        }),
      );
      expect(refused.code).toBe('invalid-request');
    } finally {
      await client.close();
    }
  });

  it('runInStoreWorker runs one job and shuts its worker down', async () => {
    seedStore(2);
    expect(await runInStoreWorker('verifyAudit', { dataDir: temp.dataDir() })).toMatchObject({
      ok: true,
      rows: 2,
    });
  });
});

describe('dispatchStoreRequest (the worker side, in process)', () => {
  it('ignores a message without a usable envelope (there is no id to answer)', async () => {
    for (const raw of [
      null,
      'verifyAudit',
      { type: 'verifyAudit' },
      { id: -1, type: 'verifyAudit' },
      [1, 2],
    ]) {
      expect(await dispatchStoreRequest(raw)).toBeNull();
    }
  });

  it('answers by id', async () => {
    seedStore(1);
    expect(
      await dispatchStoreRequest({ id: 7, type: 'verifyAudit', input: { dataDir: temp.dataDir() } }),
    ).toEqual({
      id: 7,
      ok: true,
      value: expect.objectContaining({ ok: true, rows: 1 }) as unknown,
    });
  });

  it('does not treat inherited object keys as request types', async () => {
    expect(await dispatchStoreRequest({ id: 1, type: 'toString', input: {} })).toMatchObject({
      ok: false,
      error: { code: 'unknown-request' },
    });
  });
});

describe('resolveStoreWorkerEntry', () => {
  it('prefers the built store-worker.cjs beside the module, or one folder up (a shared chunk)', () => {
    const dist = join(temp.root(), 'dist', 'main');
    mkdirSync(join(dist, 'chunks'), { recursive: true });
    writeFileSync(join(dist, 'store-worker.cjs'), '');
    const fromEntry = pathToFileURL(join(dist, 'osc.js')).href;
    const fromChunk = pathToFileURL(join(dist, 'chunks', 'client-abc.js')).href;
    expect(resolveStoreWorkerEntry(fromEntry)).toEqual({
      kind: 'built',
      file: join(dist, 'store-worker.cjs'),
    });
    expect(resolveStoreWorkerEntry(fromChunk)).toEqual({
      kind: 'built',
      file: join(dist, 'store-worker.cjs'),
    });
  });

  it('falls back to the TypeScript source, and says what is missing when neither exists', () => {
    expect(resolveStoreWorkerEntry().kind).toBe('source');
    const empty = join(temp.root(), 'empty');
    mkdirSync(empty, { recursive: true });
    expect(() => resolveStoreWorkerEntry(pathToFileURL(join(empty, 'x.js')).href)).toThrow(
      /store worker script is missing/,
    );
  });
});
