import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { AuditAppend } from '../../../main/store/types.js';

/** A fresh temp folder per test (removed afterwards); the data dir inside it does not exist yet. */
export function useTempDataDir(): { dataDir(): string; root(): string } {
  let root: string | null = null;
  afterEach(() => {
    if (root !== null) rmSync(root, { recursive: true, force: true });
    root = null;
  });
  const ensureRoot = (): string => (root ??= mkdtempSync(join(tmpdir(), 'osc-store-test-')));
  return { root: ensureRoot, dataDir: () => join(ensureRoot(), 'data') };
}

export const quietLog = { warn: (): void => undefined };

export function sampleEntries(count: number, from = 1): AuditAppend[] {
  return Array.from({ length: count }, (_, i) => ({
    actor: i % 3 === 0 ? 'engine' : 'admin',
    action: i % 2 === 0 ? 'connections.update' : 'flow.record.loaded',
    target: `target-${from + i}`,
    outcome: 'ok',
    detail: { n: from + i, note: 'sample' },
  }));
}

/** A clock that ticks one millisecond per call, so rows get distinct, predictable times. */
export function steppingClock(start = Date.UTC(2025, 0, 1)): () => Date {
  let t = start;
  return () => new Date(t++);
}
