import type Database from 'better-sqlite3';
import type { FallbackEntry, FallbackState } from '../../../shared/domain/fallback.js';

/** What the table stores as state; 'queued', 'sent' and 'failed' come from the entry's outbox row. */
export type StoredFallbackState = 'open' | 'matched' | 'differs';

export interface FallbackEntryRow {
  id: string;
  flow_id: string;
  provisional_key: string;
  values_json: string;
  match_json: string | null;
  reason: string;
  entered_by: string;
  entered_at: string;
  state: StoredFallbackState;
  matched_source_type: string | null;
  matched_source_id: string | null;
  matched_source_hash: string | null;
  matched_at: string | null;
  differences_json: string;
  exception_id: string | null;
}

interface ShownRow extends FallbackEntryRow {
  shown_state: FallbackState;
}

export interface NewFallbackEntry {
  readonly id: string;
  readonly flowId: string;
  readonly provisionalKey: string;
  readonly values: Readonly<Record<string, string | number>>;
  readonly match: readonly (string | number | null)[] | null;
  readonly reason: string;
  readonly enteredBy: string;
  readonly enteredAt: string;
}

export interface FallbackListFilter {
  readonly flowId?: string | undefined;
  readonly state?: FallbackState | undefined;
  readonly limit: number;
}

/**
 * The state a person sees. A write the target refused shows as 'failed' even after a match: the
 * source's own record was held back for it, so nothing of the event is in the target until someone
 * fixes the write's exception. Otherwise the match when there was one, else the outbox row's state.
 */
const SHOWN = `SELECT e.*, CASE WHEN o.state = 'failed' THEN 'failed' WHEN e.state <> 'open' THEN e.state
    WHEN o.state IS NULL OR o.state = 'waiting' THEN 'queued' ELSE 'sent' END AS shown_state
  FROM fallback_entries e LEFT JOIN outbox_writes o
    ON o.seq = (SELECT max(w.seq) FROM outbox_writes w WHERE w.run_id = e.id)`;

/** Manual fallback entries (migration 012); the matcher and the handlers read and write them here. */
export class FallbackEntriesRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO fallback_entries (id, flow_id, provisional_key, values_json, match_json, reason, entered_by, entered_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare<[string], ShownRow>(`${SHOWN} WHERE e.id = ?`),
      list: db.prepare<{ flow: string | null; state: string | null; limit: number }, ShownRow>(
        `SELECT * FROM (${SHOWN} WHERE (@flow IS NULL OR e.flow_id = @flow))
         WHERE (@state IS NULL OR shown_state = @state) ORDER BY entered_at DESC, id DESC LIMIT @limit`,
      ),
      any: db.prepare<[string], { one: number }>(
        'SELECT 1 AS one FROM fallback_entries WHERE flow_id = ? LIMIT 1',
      ),
      // An entry whose write the target refused is not a stand-in any more: the source's record goes.
      candidates: db.prepare<[string], FallbackEntryRow>(
        `SELECT e.* FROM fallback_entries e WHERE e.flow_id = ? AND e.state = 'open'
           AND NOT EXISTS (SELECT 1 FROM outbox_writes o WHERE o.run_id = e.id AND o.state = 'failed')
         ORDER BY e.entered_at, e.id`,
      ),
      bySources: db.prepare<[string, string], FallbackEntryRow>(
        `SELECT e.* FROM fallback_entries e WHERE e.flow_id = ? AND e.matched_source_id IS NOT NULL
           AND e.matched_source_type || char(0) || e.matched_source_id IN (SELECT value FROM json_each(?))`,
      ),
      match: db.prepare(
        `UPDATE fallback_entries SET state = @state, matched_source_type = @type, matched_source_id = @sourceId,
           matched_source_hash = @hash, matched_at = @at, differences_json = @differences,
           exception_id = coalesce(@exceptionId, exception_id)
         WHERE id = @id`,
      ),
    };
  }

  insert(entry: NewFallbackEntry): void {
    this.q.insert.run(
      entry.id,
      entry.flowId,
      entry.provisionalKey,
      JSON.stringify(entry.values),
      entry.match === null ? null : JSON.stringify(entry.match),
      entry.reason,
      entry.enteredBy,
      entry.enteredAt,
    );
  }

  get(id: string): FallbackEntry | null {
    const row = this.q.get.get(id);
    return row === undefined ? null : toEntry(row);
  }

  /** Newest first, with the state a person sees (filtered on it). */
  list(filter: FallbackListFilter): FallbackEntry[] {
    return this.q.list
      .all({ flow: filter.flowId ?? null, state: filter.state ?? null, limit: filter.limit })
      .map(toEntry);
  }

  /** Whether the flow has any entry at all (a matcher is needed for late and later records). */
  hasAny(flowId: string): boolean {
    return this.q.any.get(flowId) !== undefined;
  }

  /** Entries still waiting for their source event, oldest first. */
  candidates(flowId: string): FallbackEntryRow[] {
    return this.q.candidates.all(flowId);
  }

  /** Entries already matched to one of these source records (type + id). */
  matchedTo(flowId: string, sources: readonly { type: string; sourceId: string }[]): FallbackEntryRow[] {
    if (sources.length === 0) return [];
    const keys = sources.map((source) => `${source.type}\u0000${source.sourceId}`);
    return this.q.bySources.all(flowId, JSON.stringify(keys));
  }

  /** Records a comparison with a source record (first match, or a later version of it). */
  recordMatch(update: {
    readonly id: string;
    readonly state: StoredFallbackState;
    readonly source: { readonly type: string; readonly sourceId: string };
    readonly sourceHash: string;
    readonly at: string;
    readonly differences: readonly string[];
    readonly exceptionId: string | null;
  }): void {
    this.q.match.run({
      id: update.id,
      state: update.state,
      type: update.source.type,
      sourceId: update.source.sourceId,
      hash: update.sourceHash,
      at: update.at,
      differences: JSON.stringify(update.differences),
      exceptionId: update.exceptionId,
    });
  }
}

export function valuesOf(row: FallbackEntryRow): Record<string, string | number> {
  return JSON.parse(row.values_json) as Record<string, string | number>;
}

function toEntry(row: ShownRow): FallbackEntry {
  return {
    id: row.id,
    flowId: row.flow_id,
    provisionalKey: row.provisional_key,
    values: valuesOf(row),
    reason: row.reason,
    enteredBy: row.entered_by,
    enteredAt: row.entered_at,
    state: row.shown_state,
    matchedSourceId: row.matched_source_id,
    differences: JSON.parse(row.differences_json) as string[],
    exceptionId: row.exception_id,
  };
}
