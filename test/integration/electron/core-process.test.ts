import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CORE_GONE_MESSAGE, type CorePortClient } from '../../../main/electron/core-port-client.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { SessionStatus } from '../../../shared/domain/operator.js';
import type { Result } from '../../../shared/contract/result.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { until } from '../../support/until.js';
import {
  buildMainBundles,
  superviseCore,
  type BuiltMain,
  type SupervisedCore,
} from './core-process-worker.js';

// The Electron process layout without Electron: the built core-process bundle runs in a real worker
// thread (its own event loop, its own SQLite connection, the test keyring), supervised like in the
// app, and each "window" talks to it over its own MessagePort.

let running: { core: SupervisedCore; cleanup: () => void } | null = null;
let built: BuiltMain;

beforeAll(async () => {
  built = await buildMainBundles();
}, 120_000);

afterAll(() => built.remove());

afterEach(async () => {
  if (running === null) return;
  await running.core.supervisor.stop();
  running.cleanup();
  running = null;
});

async function startCore(): Promise<SupervisedCore> {
  const { dir, cleanup } = makeTempDir('osc-core-process-');
  const core = superviseCore(built.coreProcess, dir);
  running = { core, cleanup };
  await core.supervisor.start();
  return core;
}

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function signInFirstAdmin(window: CorePortClient): Promise<void> {
  value(
    await window.request('session.setupFirstAdmin', {
      username: 'admin',
      displayName: 'Admin',
      password: ADMIN_PASSWORD,
    }),
  );
}

describe('the core process (real core in a worker thread, one port per window)', () => {
  it('keeps each window its own identity: a session bound on one port is never seen on the other', async () => {
    const core = await startCore();
    const first = core.connectWindow(1);
    const second = core.connectWindow(2);
    await signInFirstAdmin(first);

    const firstStatus = value<SessionStatus>(await first.request('session.status', {}));
    expect(firstStatus.state).toBe('active');
    expect(firstStatus.operator?.username).toBe('admin');
    const secondStatus = value<SessionStatus>(await second.request('session.status', {}));
    expect(secondStatus.operator).toBeNull();
    expect(await second.request('operators.list', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect((await first.request('operators.list', {})).ok).toBe(true);

    // A reload gets a new port for the same window: the window's session is still its own.
    const reloaded = core.connectWindow(1);
    expect(value<SessionStatus>(await reloaded.request('session.status', {})).operator?.username).toBe(
      'admin',
    );
  });

  it('takes no identity from the page: extra fields naming another window change nothing', async () => {
    const core = await startCore();
    await signInFirstAdmin(core.connectWindow(1));
    const raw = core.openWindowPort(2)!;
    const answers: unknown[] = [];
    raw.on('message', (message) => answers.push(message));
    raw.postMessage({
      id: 7,
      op: 'operators.list',
      input: {},
      windowId: 1,
      sessionId: 'x',
      origin: 'ipc:window-1',
    });
    raw.postMessage({ id: 8, op: 'store.dropEverything', input: {} });
    raw.postMessage('not a request');
    await until('two answers', () => (answers.length >= 2 ? answers : null));
    expect(answers).toContainEqual({
      kind: 'result',
      id: 7,
      result: { ok: false, error: { code: 'unauthenticated', message: 'Sign in first.' } },
    });
    expect(answers).toContainEqual({
      kind: 'result',
      id: 8,
      result: { ok: false, error: { code: 'invalid-input', message: 'There is no such operation.' } },
    });
    raw.close();
  });

  it("pushes live events to the subscribed window's port, filtered by that window's session", async () => {
    const core = await startCore();
    const admin = core.connectWindow(1);
    const anonymous = core.connectWindow(2);
    const adminEvents: LiveEvent[] = [];
    const anonymousEvents: LiveEvent[] = [];
    admin.onEvent((event) => adminEvents.push(event));
    anonymous.onEvent((event) => anonymousEvents.push(event));
    await signInFirstAdmin(admin);
    value(await admin.request('operators.list', {}));
    const appended = await until(
      'the audit row of operators.list on the admin port',
      () =>
        adminEvents.find(
          (event) => event.type === 'audit.appended' && event.entry.action === 'operators.list',
        ) ?? null,
    );
    expect(appended).toMatchObject({ type: 'audit.appended', entry: { actor: 'admin' } });
    // The signed-out window's audience check keeps audit rows from it.
    expect(anonymousEvents.filter((event) => event.type === 'audit.appended')).toEqual([]);
  });

  it('answers a call after the core process died with a clear error at once, then recovers on a new port', async () => {
    const core = await startCore();
    const window = core.connectWindow(1);
    await signInFirstAdmin(window);
    await core.children[0]!.worker.terminate();

    await until('the port to the dead core closes', () => (window.state === 'gone' ? true : null), 5_000);
    const started = Date.now();
    const afterDeath = await window.request('operators.list', {});
    expect(afterDeath).toEqual({ ok: false, error: { code: 'unavailable', message: CORE_GONE_MESSAGE } });
    expect(Date.now() - started).toBeLessThan(1_000);

    // The supervisor saw the exit and started a new core; the window asks for a new port and works.
    await until(
      'the supervisor restarted the core',
      () => (core.notes.includes('restarted') ? true : null),
      30_000,
    );
    expect(core.notes[0]).toMatch(/^exit /);
    window.reconnecting();
    core.connectWindow(1, window);
    const status = value<SessionStatus>(await window.request('session.status', {}));
    // Sessions lived in the old process's memory: the window must sign in again, and can.
    expect(status.operator).toBeNull();
    value(await window.request('session.login', { username: 'admin', password: ADMIN_PASSWORD }));
    expect((await window.request('operators.list', {})).ok).toBe(true);
  });

  it('closes the store cleanly on shutdown and refuses to attach windows afterwards', async () => {
    const core = await startCore();
    const window = core.connectWindow(1);
    await signInFirstAdmin(window);
    const exited = new Promise<number>((resolve) => core.children[0]!.worker.once('exit', resolve));
    await core.supervisor.stop();
    expect(await exited).toBe(0);
    expect(core.openWindowPort(2)).toBeNull();
    await delay(50);
    expect(core.notes).toEqual([]);
  });
});

/** Every module a bundle loads at run time: its own requires, following ./chunks transitively. */
function requiredModules(entry: string): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, id] of readFileSync(file, 'utf8').matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) {
      if (id!.startsWith('.')) visit(path.resolve(path.dirname(file), id!));
      else found.add(id!);
    }
  };
  visit(entry);
  return found;
}

describe('the Electron main process bundle', () => {
  const STORE_MODULES = ['better-sqlite3', '@napi-rs/keyring'];

  it('never loads SQLite or the keyring: it only relays ports to the core process', () => {
    const modules = requiredModules(built.mainEntry);
    expect(modules).toContain('electron');
    for (const name of STORE_MODULES) expect(modules).not.toContain(name);
  });

  it('while the core-process bundle does (so the check above looks for the right names)', () => {
    const modules = requiredModules(built.coreProcess);
    for (const name of STORE_MODULES) expect(modules).toContain(name);
    expect(modules).not.toContain('electron');
  });
});
