import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';
import { defineConfig } from 'vitest/config';

// One config, three bundles, chosen by --mode:
// - renderer: the React console (served from app:// in Electron, by fastify in headless mode);
// - main: the Electron main process, its core utility process, the `osc` CLI / headless server and
//   the workers (CommonJS: Node loads CommonJS dependencies like fastify much faster from CommonJS
//   than from ESM; `osc serve` started in ≈ 0.66 s instead of ≈ 1.08 s, median of 6, same run);
// - preload: one CommonJS file, as sandboxed preloads require.
// Native addons and electron stay external; pure-JS dependencies are bundled into the main chunks:
// resolving and loading hundreds of small module files was most of `osc serve`'s start-up (median
// 0.50 s bundled vs 0.69 s external, 7 alternating runs).
const nodeExternals = [
  'electron',
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  'better-sqlite3',
  '@napi-rs/keyring',
];
const isExternal = (id: string): boolean =>
  nodeExternals.some((name) => id === name || id.startsWith(`${name}/`));

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'main') {
    return {
      ssr: { noExternal: true, external: ['better-sqlite3', '@napi-rs/keyring'] },
      build: {
        outDir: 'dist/main',
        emptyOutDir: true,
        target: 'node20',
        ssr: true,
        sourcemap: true,
        minify: false,
        rollupOptions: {
          input: {
            osc: resolve(import.meta.dirname, 'main/cli/osc.ts'),
            'electron-main': resolve(import.meta.dirname, 'main/electron/electron-main.ts'),
            'core-process': resolve(import.meta.dirname, 'main/core-process/core-process-main.ts'),
            'store-worker': resolve(import.meta.dirname, 'main/store/worker/store-worker.ts'),
            'engine-worker': resolve(import.meta.dirname, 'main/engine/worker/engine-worker.ts'),
          },
          external: isExternal,
          output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
        },
      },
    };
  }
  if (mode === 'preload') {
    return {
      build: {
        outDir: 'dist/preload',
        emptyOutDir: true,
        target: 'node20',
        ssr: true,
        minify: false,
        rollupOptions: {
          input: { preload: resolve(import.meta.dirname, 'main/electron/preload.ts') },
          external: ['electron'],
          output: { format: 'cjs', entryFileNames: '[name].cjs' },
        },
      },
    };
  }
  return {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: { outDir: resolve(import.meta.dirname, 'dist/renderer'), emptyOutDir: true, sourcemap: true },
    test: {
      root: import.meta.dirname,
      include: [
        'test/unit/**/*.test.ts',
        'test/unit/**/*.test.tsx',
        'test/integration/**/*.test.ts',
        'test/e2e/**/*.test.ts',
      ],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      pool: 'forks',
      // Vitest's default on a 2-core machine is one worker; most of this suite waits on sockets,
      // child processes and timers, so two files at a time nearly halve the run.
      maxWorkers: 2,
    },
  };
});
