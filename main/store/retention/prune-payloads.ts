import type Database from 'better-sqlite3';
import { PAYLOAD_TARGETS, type PayloadTarget } from './payload-retention-targets.js';
import { isPrunedPayload, prunableSql, prunedPayloadMarker } from './pruned-payload-marker.js';

export interface PruneOptions {
  /** Payloads of rows settled before this moment are pruned. */
  readonly cutoff: Date;
  /** When the pruning happens: the date the marker shows. */
  readonly at: Date;
  /** Rows per transaction: the write lock is never held for more than one batch. */
  readonly batchSize?: number;
  readonly targets?: readonly PayloadTarget[];
}

/** Per table, how many rows lost at least one payload, and per column how many payloads went. */
export interface PruneCounts {
  readonly [table: string]: { rows: number; columns: Record<string, number> };
}

const DEFAULT_BATCH = 500;

/**
 * Replaces every prunable payload older than the cutoff by its marker (hash and length kept), table
 * by table, in batches. Rows, their metadata and every hash column stay; protected rows (see
 * payload-retention-targets.ts) are never selected. Returns the counts; the caller audits them.
 */
export function prunePayloads(db: Database.Database, options: PruneOptions): PruneCounts {
  const cutoff = options.cutoff.toISOString();
  const batch = options.batchSize ?? DEFAULT_BATCH;
  const counts: Record<string, { rows: number; columns: Record<string, number> }> = {};
  for (const target of options.targets ?? PAYLOAD_TARGETS) {
    if (!tableExists(db, target.table)) continue;
    const tally = { rows: 0, columns: Object.fromEntries(target.columns.map((c) => [c, 0])) };
    counts[target.table] = tally;
    const anyPayload = target.columns.map((column) => prunableSql(`t.${column}`)).join(' OR ');
    const select = db.prepare<[string, number], Record<string, string | number | null>>(
      `SELECT t.${target.key} AS k, ${target.columns.map((c) => `t.${c}`).join(', ')}
       FROM ${target.table} t
       WHERE ${target.settledAt} < ? AND (${anyPayload}) AND (${target.prunable})
       LIMIT ?`,
    );
    const updates = new Map(
      target.columns.map((column) => [
        column,
        db.prepare(
          `UPDATE ${target.table} SET ${column} = ? WHERE ${target.key} = ? AND ${prunableSql(column)}`,
        ),
      ]),
    );
    const pruneBatch = db.transaction((): number => {
      const rows = select.all(cutoff, batch);
      if (rows.length === 0) return 0;
      const lifted = liftTriggers(db, target.guardTriggers ?? []);
      for (const row of rows) {
        let touched = false;
        for (const column of target.columns) {
          const value = row[column];
          if (typeof value !== 'string' || !isPrunableText(value)) continue;
          updates.get(column)?.run(prunedPayloadMarker(value, options.at), row.k);
          tally.columns[column] = (tally.columns[column] ?? 0) + 1;
          touched = true;
        }
        if (touched) tally.rows += 1;
      }
      for (const sql of lifted) db.exec(sql);
      return rows.length;
    });
    // IMMEDIATE: the batch reads then writes; a deferred reader overtaken by the engine's commit
    // could not upgrade (SQLITE_BUSY at once, busy_timeout never waits).
    // Every row of a batch is marked afterwards and no longer selected, so this ends.
    let selected: number;
    do selected = pruneBatch.immediate();
    while (selected === batch);
  }
  return counts;
}

/** The number of payloads pruned in all tables. */
export function totalPruned(counts: PruneCounts): number {
  return Object.values(counts).reduce(
    (sum, { columns }) => sum + Object.values(columns).reduce((a, b) => a + b, 0),
    0,
  );
}

function isPrunableText(value: string): boolean {
  return !isPrunedPayload(value);
}

function tableExists(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Drops the named triggers (inside the caller's transaction) and answers their SQL to recreate them. */
function liftTriggers(db: Database.Database, names: readonly string[]): string[] {
  const kept: string[] = [];
  for (const name of names) {
    const row = db
      .prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
      .get(name);
    if (row === undefined) continue;
    db.exec(`DROP TRIGGER ${name}`);
    kept.push(row.sql);
  }
  return kept;
}
