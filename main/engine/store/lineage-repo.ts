import type Database from 'better-sqlite3';
import type { LineageEntry, LineageTrail } from '../../../shared/domain/lineage.js';

interface LineageRow {
  seq: number;
  at: string;
  run_id: string;
  flow_id: string;
  source_system: string;
  source_type: string;
  source_id: string;
  source_version: string;
  source_hash: string;
  mapping_id: string;
  mapping_version: number;
  target_system: string;
  target_model: string;
  target_key: string;
  target_id: string | null;
  payload_hash: string;
  outcome: LineageEntry['outcome'];
  supersedes: number | null;
  error_code: string | null;
}

function toEntry(row: LineageRow): LineageEntry {
  return {
    seq: row.seq,
    at: row.at,
    runId: row.run_id,
    flowId: row.flow_id,
    sourceSystem: row.source_system,
    sourceType: row.source_type,
    sourceId: row.source_id,
    sourceVersion: row.source_version,
    sourceHash: row.source_hash,
    mappingId: row.mapping_id,
    mappingVersion: row.mapping_version,
    targetSystem: row.target_system,
    targetModel: row.target_model,
    targetKey: row.target_key,
    targetId: row.target_id,
    payloadHash: row.payload_hash,
    outcome: row.outcome,
    supersedes: row.supersedes,
    errorCode: row.error_code,
  };
}

const MAX_ROWS = 1000;

/**
 * Lineage queries, both ways. A trail holds every row about the records found, oldest first, so the
 * console can show how a record was corrected over time (each row names the row it supersedes).
 */
export class LineageRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      bySource: db.prepare<[string, number], LineageRow>(
        'SELECT * FROM lineage WHERE source_id = ? ORDER BY seq LIMIT ?',
      ),
      byKey: db.prepare<[string, string, number], LineageRow>(
        'SELECT * FROM lineage WHERE target_model = ? AND target_key = ? ORDER BY seq LIMIT ?',
      ),
      keysById: db.prepare<[string, string], { target_key: string }>(
        'SELECT DISTINCT target_key FROM lineage WHERE target_model = ? AND target_id = ?',
      ),
      byRun: db.prepare<[string, number], LineageRow>(
        'SELECT * FROM lineage WHERE run_id = ? ORDER BY seq LIMIT ?',
      ),
      flowNames: db.prepare<[string], { id: string; name: string }>(
        'SELECT id, name FROM flows WHERE id IN (SELECT value FROM json_each(?))',
      ),
      mappingNames: db.prepare<[string], { id: string; name: string }>(
        'SELECT id, name FROM mappings WHERE id IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  /** The trail plus the names of the flows and mappings it mentions (one query each, by id). */
  private trail(rows: readonly LineageRow[]): LineageTrail {
    const entries = [...rows].sort((a, b) => a.seq - b.seq).map(toEntry);
    const names = (statement: typeof this.q.flowNames, ids: Iterable<string>) =>
      Object.fromEntries(statement.all(JSON.stringify([...new Set(ids)])).map((row) => [row.id, row.name]));
    return {
      entries,
      flowNames: names(
        this.q.flowNames,
        entries.map((entry) => entry.flowId),
      ),
      mappingNames: names(
        this.q.mappingNames,
        entries.map((entry) => entry.mappingId),
      ),
    };
  }

  bySource(
    sourceId: string,
    filter: { sourceType?: string | undefined; flowId?: string | undefined },
  ): LineageTrail {
    const direct = this.q.bySource
      .all(sourceId, MAX_ROWS)
      .filter(
        (row) =>
          (filter.sourceType === undefined || row.source_type === filter.sourceType) &&
          (filter.flowId === undefined || row.flow_id === filter.flowId),
      );
    // The same target records may have been written from other source versions: their history too.
    const seen = new Map<number, LineageRow>();
    for (const row of direct) {
      for (const related of this.q.byKey.all(row.target_model, row.target_key, MAX_ROWS))
        seen.set(related.seq, related);
    }
    return this.trail([...seen.values()]);
  }

  byTarget(
    targetModel: string,
    target: { targetKey?: string | undefined; targetId?: string | undefined },
  ): LineageTrail {
    const keys = new Set<string>();
    if (target.targetKey !== undefined) keys.add(target.targetKey);
    if (target.targetId !== undefined) {
      for (const row of this.q.keysById.all(targetModel, target.targetId)) keys.add(row.target_key);
    }
    const rows = [...keys].flatMap((key) => this.q.byKey.all(targetModel, key, MAX_ROWS));
    return this.trail(rows);
  }

  byRun(runId: string, limit = MAX_ROWS): LineageEntry[] {
    return this.q.byRun.all(runId, limit).map(toEntry);
  }
}
