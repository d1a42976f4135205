import { writeFileSync } from 'node:fs';
import type { Benchmark, Measure } from './bench-types.js';
import { measureJsonLine, measureTable } from './bench-output.js';

export interface BenchArgs {
  readonly only: string | null;
  /** Where to write the measures as JSON (used by the isolated runner to build one table). */
  readonly measuresOut: string | null;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs | { readonly error: string } {
  let only: string | null = null;
  let measuresOut: string | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--measures-out') {
      const path = argv[i + 1];
      if (path === undefined) return { error: '--measures-out needs a file path' };
      measuresOut = path;
      i += 1;
    } else if (arg === '--only') {
      const name = argv[i + 1];
      if (name === undefined || name.startsWith('--')) return { error: '--only needs a benchmark name' };
      only = name;
      i += 1;
    } else if (arg?.startsWith('--only=')) {
      only = arg.slice('--only='.length);
    } else {
      return { error: `unknown argument ${String(arg)}` };
    }
  }
  return { only, measuresOut };
}

interface Output {
  write(chunk: string): unknown;
}

/**
 * Runs the selected benchmarks one after another (never in parallel: they would measure each other)
 * and returns the process exit code: 0, or 1 when `--only` matched nothing or a benchmark failed.
 */
export async function runBenchmarks(
  registry: readonly Benchmark[],
  argv: readonly string[],
  out: Output,
  err: Output,
): Promise<number> {
  const args = parseBenchArgs(argv);
  const names = registry.map((bench) => bench.name).join(', ');
  const duplicate = registry.find(
    (bench, index) => registry.findIndex((b) => b.name === bench.name) !== index,
  );
  if (duplicate) {
    err.write(`two benchmarks are named "${duplicate.name}"; names must be unique\n`);
    return 1;
  }
  if ('error' in args) {
    err.write(`${args.error}\nusage: bench [--only NAME]   (benchmarks: ${names})\n`);
    return 1;
  }
  const selected = args.only === null ? registry : registry.filter((bench) => bench.name === args.only);
  if (selected.length === 0) {
    err.write(`no benchmark named "${String(args.only)}" (benchmarks: ${names})\n`);
    return 1;
  }
  const measures: Measure[] = [];
  let failed = false;
  for (const bench of selected) {
    try {
      for (const measure of await bench.run()) {
        measures.push(measure);
        out.write(`${measureJsonLine(measure)}\n`);
      }
    } catch (error) {
      failed = true;
      err.write(
        `benchmark ${bench.name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  }
  if (args.measuresOut !== null) writeFileSync(args.measuresOut, JSON.stringify(measures));
  else if (measures.length > 0) out.write(`\n${measureTable(measures)}\n`);
  return failed ? 1 : 0;
}
