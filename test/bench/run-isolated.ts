import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measure } from './bench-types.js';
import { measureTable } from './bench-output.js';

/**
 * Runs every benchmark in a process of its own, one after another: a benchmark's heap and peak RSS
 * (flow-e2e measures the process's peak RSS) must not carry what an earlier one left behind.
 * Each child prints its JSON lines as usual; the measures come back through a file for one table.
 */
export function runEachInOwnProcess(names: readonly string[], entry: string): number {
  const folder = mkdtempSync(join(tmpdir(), 'osc-bench-'));
  const measures: Measure[] = [];
  let failed = false;
  try {
    for (const [index, name] of names.entries()) {
      const file = join(folder, `${String(index)}.json`);
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', entry, '--only', name, '--measures-out', file],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      );
      if (child.status !== 0) failed = true;
      try {
        measures.push(...(JSON.parse(readFileSync(file, 'utf8')) as Measure[]));
      } catch {
        failed = true;
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  if (measures.length > 0) process.stdout.write(`\n${measureTable(measures)}\n`);
  return failed ? 1 : 0;
}
