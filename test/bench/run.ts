// Entry: `node --import tsx test/bench/run.ts [--only NAME]` (npm run bench [-- --only NAME]).
// Without --only, each benchmark runs in its own process (run-isolated.ts).
import { fileURLToPath } from 'node:url';
import { BENCHMARKS } from './benches/index.js';
import { runBenchmarks } from './run-benchmarks.js';
import { runEachInOwnProcess } from './run-isolated.js';

const argv = process.argv.slice(2);
process.exitCode =
  argv.length === 0
    ? runEachInOwnProcess(
        BENCHMARKS.map((bench) => bench.name),
        fileURLToPath(import.meta.url),
      )
    : await runBenchmarks(BENCHMARKS, argv, process.stdout, process.stderr);
