// Entry: `node --import tsx test/bench/run.ts [--only NAME]` (npm run bench [-- --only NAME]).
import { BENCHMARKS } from './benches/index.js';
import { runBenchmarks } from './run-benchmarks.js';

process.exitCode = await runBenchmarks(BENCHMARKS, process.argv.slice(2), process.stdout, process.stderr);
