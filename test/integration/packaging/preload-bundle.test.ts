import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { MessageChannel } from 'node:worker_threads';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../../shared/contract/operations.js';

// Builds the real preload bundle (vite.config.ts, --mode preload) into a temp folder and runs it the
// way a sandboxed renderer would: CommonJS, and `require` that knows nothing but 'electron'.
const projectRoot = path.resolve(import.meta.dirname, '../../..');
let outDir: string;
let bundle: string;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'osc-preload-bundle-'));
  await build({
    configFile: path.join(projectRoot, 'vite.config.ts'),
    root: projectRoot,
    mode: 'preload',
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  bundle = readFileSync(path.join(outDir, 'preload.cjs'), 'utf8');
}, 60_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

interface Exposed {
  key: string;
  api: { operations: Record<string, (input: unknown) => Promise<unknown>>; onEvent: unknown };
}

type IpcListener = (event: { ports?: unknown[] }) => void;

function runInFakeSandbox() {
  const exposed: Exposed[] = [];
  const sent: string[] = [];
  const listeners = new Map<string, IpcListener>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Exposed['api']) => exposed.push({ key, api }) },
    ipcRenderer: {
      send: (channel: string) => sent.push(channel),
      on: (channel: string, listener: IpcListener) => listeners.set(channel, listener),
    },
  };
  const sandboxRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found in a sandboxed preload: ${id}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(
    bundle,
    // The preload holds its calls on a timer until the main process hands it a port.
    { require: sandboxRequire, module, exports: module.exports, setTimeout, clearTimeout },
    { filename: 'preload.cjs' },
  );
  return { exposed, sent, listeners, required };
}

describe('preload bundle', () => {
  it('is one small CommonJS file that requires nothing but electron', () => {
    const requires = [...bundle.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(bundle).not.toMatch(/^\s*(import|export)\s/m);
    expect(Buffer.byteLength(bundle)).toBeLessThan(16 * 1024);
  });

  it('carries no validation library (zod stays in the core process)', () => {
    expect(bundle).not.toMatch(/\bzod\b|ZodError|safeParse|node_modules/);
    // Rolldown marks each inlined module with a path comment: only the names, the result helpers, the
    // port client and protocol, the channel constants, the bridge and the preload itself may be here.
    const modules = [...bundle.matchAll(/^\/\/ (\S+\.ts)$/gm)].map((match) => match[1]);
    expect(modules.sort()).toEqual([
      'main/core-process/message-port-like.ts',
      'main/core-process/port-protocol.ts',
      'main/electron/core-port-client.ts',
      'main/electron/preload-bridge.ts',
      'main/electron/preload.ts',
      'main/electron/window-port-channels.ts',
      'shared/contract/operation-names.ts',
      'shared/contract/result.ts',
    ]);
  });

  it('exposes window.osc with one function per operation, carried over the port the main process hands it', async () => {
    const { exposed, sent, listeners, required } = runInFakeSandbox();
    expect(required).toEqual(['electron']);
    expect(sent).toEqual(['osc:core-connect']);
    expect(exposed).toHaveLength(1);
    const [{ key, api }] = exposed as [Exposed];
    expect(key).toBe('osc');
    expect(Object.keys(api).sort()).toEqual(['onEvent', 'operations']);
    expect(Object.keys(api.operations).sort()).toEqual([...OPERATION_NAMES].sort());

    // A call made before the port arrives is held, then sent on the port (Node's MessagePort has the
    // DOM's addEventListener shape); the "core" end answers it.
    const answer = api.operations['connections.list']!({});
    const { port1, port2 } = new MessageChannel();
    const received: unknown[] = [];
    port2.on('message', (message: { id: number }) => {
      received.push(message);
      port2.postMessage({ kind: 'result', id: message.id, result: { ok: true, value: [] } });
    });
    listeners.get('osc:core-port')!({ ports: [port1] });
    expect(await answer).toEqual({ ok: true, value: [] });
    expect(received).toEqual([{ id: 1, op: 'connections.list', input: {} }]);
    port1.close();
  });
});
