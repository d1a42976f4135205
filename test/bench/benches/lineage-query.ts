import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Benchmark, Measure } from '../bench-types.js';
import { openStore } from '../../../main/store/open-store.js';
import { LineageRepo } from '../../../main/engine/store/lineage-repo.js';
import { MIGRATIONS } from '../../../main/store/migrations/index.js';
import { migration017LineageByTargetId } from '../../../main/store/migrations/017-lineage-by-target-id.js';

/**
 * OSC_BENCH_LINEAGE_APPLY_017=1 runs migration 017's SQL on the generated store when the migration
 * list does not hold it yet (it follows 016 and 017, which land separately): the "after" figure
 * while it waits for its line. The note says when this happened.
 */
const APPLY_017 =
  process.env['OSC_BENCH_LINEAGE_APPLY_017'] === '1' &&
  !MIGRATIONS.some((migration) => migration.version === migration017LineageByTargetId.version);

/** OSC_BENCH_LINEAGE_ROWS scales the store down for a quick look; the figure is 10 million. */
const ROWS = Number(process.env['OSC_BENCH_LINEAGE_ROWS'] ?? 10_000_000);
/** Distinct source records: each is written about 2.5 times (created, then corrected). */
const RECORDS = Math.max(1, Math.floor(ROWS / 2.5));
const LOOKUPS = 2_000;
const GENERATE_CHUNK = 500_000;

/**
 * Fills `lineage` by SQL (a recursive counter, no JavaScript per row): row i belongs to record
 * i % RECORDS, so a record's versions are spread over the whole table as a long-running sync spreads
 * them, each correction names the row it supersedes, and one row in 50 failed (no target id).
 * The table keeps all its indexes from the migrations while it is filled: the bench measures the
 * store the product has, not one shaped for the bench.
 */
function generate(path: string): void {
  const db = new Database(path);
  try {
    db.pragma('synchronous = OFF'); // generation only: the bench measures reads
    db.pragma('cache_size = -1000000');
    const fill = db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO lineage (seq, at, run_id, flow_id, source_system, source_type, source_id, source_version,
         source_hash, mapping_id, mapping_version, target_system, target_model, target_key, target_id,
         payload_hash, outcome, supersedes, error_code)
       SELECT i, '2026-01-01T00:00:00.000Z', 'run-' || (i / 5000), 'supply-consumption', 'ehr',
         'SupplyDelivery', 'SupplyDelivery/' || (i % $records), CAST(i / $records + 1 AS TEXT),
         printf('%064x', i), 'supply-map', 1 + i / $records / 2, 'odoo', 'stock.move',
         'osc_sync.move_' || (i % $records),
         CASE WHEN i % 50 = 0 THEN NULL ELSE CAST(100000 + i % $records AS TEXT) END,
         printf('%064x', i * 7),
         CASE WHEN i % 50 = 0 THEN 'failed' WHEN i <= $records THEN 'created' ELSE 'updated' END,
         CASE WHEN i > $records THEN i - $records ELSE NULL END,
         CASE WHEN i % 50 = 0 THEN 'odoo.validation' ELSE NULL END
       FROM n`.replaceAll('$records', String(RECORDS)),
    );
    for (let from = 1; from <= ROWS; from += GENERATE_CHUNK) {
      db.transaction(() => fill.run(from, Math.min(ROWS, from + GENERATE_CHUNK - 1)))();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

function countParameters(sql: string): number {
  return sql.split('?').length - 1;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Per way: at most this long, so a lookup that walks the whole table cannot keep the bench running for hours. */
const PHASE_BUDGET_MS = 30_000;

function timeEach(
  count: number,
  lookup: (i: number) => number,
): { p50: number; p95: number; p99: number; found: number; lookups: number } {
  const samples: number[] = [];
  let found = 0;
  const started = performance.now();
  for (let i = 0; i < count && performance.now() - started < PHASE_BUDGET_MS; i += 1) {
    const start = process.hrtime.bigint();
    found += lookup(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(samples, p)) as [number, number, number];
  return { p50, p95, p99, found, lookups: samples.length };
}

/** A record number spread over the whole store (a multiplicative hash of i), so lookups are not cache-friendly. */
const recordFor = (i: number): number => (i * 2_654_435_761) % RECORDS;

/**
 * p50/p95/p99 of the lineage lookups the console runs (LineageRepo, as the lineage.bySource and
 * lineage.byTarget handlers call it) on a store with ROWS lineage rows. The baseline is the 10 ms
 * target, so ratio = 10 / p95 (above 1 is within it). The query plans are printed to stderr.
 */
export const lineageQueryBench: Benchmark = {
  name: 'lineage-query',
  description: `lineage lookups both ways (by source id, by target key, by target id) on ${ROWS} lineage rows`,
  run(): Promise<readonly Measure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'osc-bench-lineage-'));
    const dataDir = join(dir, 'data');
    try {
      openStore({ dataDir, log: { warn: () => undefined } }).close(); // the product's schema
      const generatedAt = process.hrtime.bigint();
      generate(join(dataDir, 'osc.sqlite'));
      const generateSeconds = Number(process.hrtime.bigint() - generatedAt) / 1e9;
      if (APPLY_017) {
        const db = new Database(join(dataDir, 'osc.sqlite'));
        db.exec(migration017LineageByTargetId.sql);
        db.close();
      }
      const store = openStore({ dataDir, log: { warn: () => undefined } });
      try {
        for (const [name, sql] of [
          ['bySource', 'SELECT * FROM lineage WHERE source_id = ? ORDER BY seq LIMIT ?'],
          ['byKey', 'SELECT * FROM lineage WHERE target_model = ? AND target_key = ? ORDER BY seq LIMIT ?'],
          ['keysById', 'SELECT DISTINCT target_key FROM lineage WHERE target_model = ? AND target_id = ?'],
        ] as const) {
          const explain = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
          const plan = explain.all(...['x', 'y', 1].slice(0, countParameters(sql))) as { detail: string }[];
          process.stderr.write(`lineage-query plan ${name}: ${plan.map((p) => p.detail).join('; ')}\n`);
        }
        const repo = new LineageRepo(store.db);
        const bySource = timeEach(
          LOOKUPS,
          (i) => repo.bySource(`SupplyDelivery/${recordFor(i)}`, {}).entries.length,
        );
        const byKey = timeEach(
          LOOKUPS,
          (i) =>
            repo.byTarget('stock.move', { targetKey: `osc_sync.move_${recordFor(i + LOOKUPS)}` }).entries
              .length,
        );
        const byId = timeEach(
          LOOKUPS,
          (i) =>
            repo.byTarget('stock.move', { targetId: String(100000 + recordFor(i + 2 * LOOKUPS)) }).entries
              .length,
        );
        const measure = (name: string, r: ReturnType<typeof timeEach>): Measure => {
          if (r.found === 0) throw new Error(`${name} found no lineage rows: the generated store is wrong`);
          return {
            bench: `lineage-query-${name}`,
            value: r.p95,
            unit: 'ms p95',
            baseline: 10,
            ratio: 10 / r.p95,
            better: 'lower',
            note:
              `${ROWS} rows (${RECORDS} records), ${r.lookups} lookups: p50 ${r.p50.toFixed(3)} ms, ` +
              `p95 ${r.p95.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, ${(r.found / r.lookups).toFixed(1)} rows each; ` +
              `generated in ${generateSeconds.toFixed(0)} s (not counted)` +
              (APPLY_017 ? '; migration 017 applied by the bench (not yet in the list)' : ''),
          };
        };
        return Promise.resolve([
          measure('by-source', bySource),
          measure('by-target-key', byKey),
          measure('by-target-id', byId),
        ]);
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
