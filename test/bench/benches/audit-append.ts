import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Benchmark, Measure } from '../bench-types.js';
import type { AuditAppend } from '../../../main/store/types.js';
import { openStore } from '../../../main/store/open-store.js';
import { migration001Foundation } from '../../../main/store/migrations/001-foundation.js';
import { median } from '../bench-output.js';

const BATCH = 500; // rows per transaction, as the engine batches its audit rows
const ROWS_PER_ROUND = 5_000;
const ROUNDS = 5;

function auditRows(round: number): AuditAppend[] {
  return Array.from({ length: ROWS_PER_ROUND }, (_, i) => ({
    actor: 'engine',
    action: 'flow.record.loaded',
    target: `supply-consumption/enc-${round}-${i}`,
    outcome: i % 50 === 0 ? 'error' : 'ok',
    detail: {
      flow: 'supply-consumption',
      batch: Math.floor(i / BATCH),
      source: { system: 'ehr', id: `SupplyDelivery/${round * ROWS_PER_ROUND + i}`, versionId: '3' },
      target: { model: 'stock.move', externalId: `osc_sync.move_${round}_${i}` },
      mappingVersion: 7,
    },
  }));
}

function ratePerSecond(rows: number, run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return rows / seconds;
}

/**
 * The baseline: the same rows into a table of the same shape (migration 001 itself, so columns,
 * STRICT and indexes match), same pragmas, same batching, but no canonical JSON, no hash chain and
 * no head anchor. The ratio is what tamper evidence costs.
 */
function openBaseline(path: string): { db: Database.Database; insertBatch: (rows: AuditAppend[]) => void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(migration001Foundation.sql);
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, at, actor, action, target, outcome, detail, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const placeholderHash = 'f'.repeat(64);
  let seq = 0;
  const insertBatch = db.transaction((rows: AuditAppend[]) => {
    for (const row of rows) {
      seq += 1;
      const at = new Date().toISOString();
      const detail = JSON.stringify(row.detail);
      insert.run(
        seq,
        at,
        row.actor,
        row.action,
        row.target,
        row.outcome,
        detail,
        placeholderHash,
        placeholderHash,
      );
    }
  });
  return { db, insertBatch: (rows) => insertBatch.immediate(rows) };
}

function inBatches(rows: AuditAppend[], write: (batch: AuditAppend[]) => unknown): void {
  for (let i = 0; i < rows.length; i += BATCH) write(rows.slice(i, i + BATCH));
}

export const auditAppendBench: Benchmark = {
  name: 'audit-append',
  description: 'Hash-chained audit appends (synchronous=FULL, 500 rows per transaction) vs plain inserts',
  run(): Promise<readonly Measure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'osc-bench-audit-'));
    const store = openStore({ dataDir: join(dir, 'chained'), log: { warn: () => undefined } });
    const baseline = openBaseline(join(dir, 'plain.sqlite'));
    try {
      const chained: number[] = [];
      const plain: number[] = [];
      for (let round = 0; round <= ROUNDS; round += 1) {
        const rows = auditRows(round);
        // Alternate who goes first so a drifting machine does not favour one side.
        const runChained = (): number =>
          ratePerSecond(rows.length, () => inBatches(rows, (b) => store.audit.appendMany(b)));
        const runPlain = (): number =>
          ratePerSecond(rows.length, () => inBatches(rows, baseline.insertBatch));
        let c: number;
        let p: number;
        if (round % 2 === 0) {
          c = runChained();
          p = runPlain();
        } else {
          p = runPlain();
          c = runChained();
        }
        if (round === 0) continue; // warm-up: page cache, JIT, statement preparation
        chained.push(c);
        plain.push(p);
      }
      const verification = store.audit.verify();
      if (!verification.ok) throw new Error(`bench chain does not verify: ${verification.reason}`);
      const value = median(chained);
      const base = median(plain);
      return Promise.resolve([
        {
          bench: 'audit-append',
          value,
          unit: 'rows/s',
          baseline: base,
          ratio: value / base,
          better: 'higher',
          note: `median of ${ROUNDS} rounds x ${ROWS_PER_ROUND} rows, ${BATCH} rows/transaction, synchronous=FULL`,
        },
      ]);
    } finally {
      store.close();
      baseline.db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
