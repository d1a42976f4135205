import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
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

function runInFakeSandbox() {
  const exposed: Exposed[] = [];
  const invoked: { channel: string; input: unknown }[] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Exposed['api']) => exposed.push({ key, api }) },
    ipcRenderer: {
      invoke: (channel: string, input: unknown) => {
        invoked.push({ channel, input });
        return Promise.resolve({ ok: true, value: null });
      },
      on: () => undefined,
      off: () => undefined,
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
    { require: sandboxRequire, module, exports: module.exports },
    { filename: 'preload.cjs' },
  );
  return { exposed, invoked, required };
}

describe('preload bundle', () => {
  it('is one small CommonJS file that requires nothing but electron', () => {
    const requires = [...bundle.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(bundle).not.toMatch(/^\s*(import|export)\s/m);
    expect(Buffer.byteLength(bundle)).toBeLessThan(16 * 1024);
  });

  it('carries no validation library (zod stays in the main process)', () => {
    expect(bundle).not.toMatch(/\bzod\b|ZodError|safeParse|node_modules/);
    // Rolldown marks each inlined module with a path comment: only the names, the channel constants,
    // the bridge and the preload itself may be in here.
    const modules = [...bundle.matchAll(/^\/\/ (\S+\.ts)$/gm)].map((match) => match[1]);
    expect(modules.sort()).toEqual([
      'main/electron/preload-bridge.ts',
      'main/electron/preload.ts',
      'shared/contract/events.ts',
      'shared/contract/operation-names.ts',
    ]);
  });

  it('exposes window.osc with one function per operation when run in a sandbox', async () => {
    const { exposed, invoked, required } = runInFakeSandbox();
    expect(required).toEqual(['electron']);
    expect(exposed).toHaveLength(1);
    const [{ key, api }] = exposed as [Exposed];
    expect(key).toBe('osc');
    expect(Object.keys(api).sort()).toEqual(['onEvent', 'operations']);
    expect(Object.keys(api.operations).sort()).toEqual([...OPERATION_NAMES].sort());
    await api.operations['connections.list']!({});
    expect(invoked).toEqual([{ channel: 'osc:connections.list', input: {} }]);
  });
});
