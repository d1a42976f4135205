/**
 * A named benchmark. `npm run bench` runs every registered one (or `-- --only NAME`) and prints one
 * JSON line per measure, then a short table. The baseline is always measured in the same run: these
 * machines are noisy, so only ratios are comparable between runs.
 */
export interface Measure {
  readonly bench: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number | null;
  /** value / baseline (or baseline / value for lower-is-better units, see `better`). */
  readonly ratio: number | null;
  readonly better: 'higher' | 'lower';
  readonly note?: string;
}

export interface Benchmark {
  /** The `--only` name; a benchmark may emit several measures with their own `bench` names. */
  readonly name: string;
  readonly description: string;
  run(): Promise<readonly Measure[]>;
}
