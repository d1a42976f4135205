import type Database from 'better-sqlite3';
import type { ReplayRow } from './replay-repo.js';

/**
 * What a replay run reads, in the order the exceptions were stored (their rowid), not in id order.
 * Exception ids are random, so id order scatters a batch of 500 over every page of the exceptions
 * table and its state indexes: the batch commit that resolves them then rewrites most of the table
 * into the WAL each time (measured: 62 ms per commit, a replay at 0.45 of a fresh run). In store
 * order a batch's exceptions, their index entries and their lineage neighbours share pages.
 *
 * The run's order is read once (numbers only: a replay run has at most 10,000 items), then each
 * page fetches its rows by rowid, so a page costs its own rows whatever the size of the run (CROSS
 * JOIN keeps SQLite from driving the page by the run's whole item list instead).
 */
export class ReplayPages {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      order: db
        .prepare<[string], number>(
          `SELECT e.rowid FROM replay_items ri JOIN exceptions e ON e.id = ri.exception_id
           WHERE ri.run_id = ? ORDER BY e.rowid`,
        )
        .pluck(),
      rows: db.prepare<[string, string], ReplayRow>(
        // Parameters: the page's positions (JSON), then the run.
        `SELECT ri.exception_id, e.source_type, e.source_id,
           CASE WHEN ri.edit_id IS NULL THEN e.latest_source_version
             ELSE e.latest_source_version || '+edit' || ri.edit_id END AS version,
           coalesce(x.source_payload, e.latest_source_payload, e.source_payload) AS payload
         FROM json_each(?) AS page CROSS JOIN exceptions e ON e.rowid = page.value
           CROSS JOIN replay_items ri ON ri.run_id = ? AND ri.exception_id = e.id
           LEFT JOIN exception_edits x ON x.id = ri.edit_id
         WHERE coalesce(x.source_payload, e.latest_source_payload, e.source_payload) IS NOT NULL
         ORDER BY page.key`,
      ),
    };
  }

  /** The run's exceptions as store positions, in store order. */
  order(runId: string): number[] {
    return this.q.order.all(runId);
  }

  /** The run's records at these store positions (one page), in store order. */
  rows(runId: string, positions: readonly number[]): ReplayRow[] {
    return this.q.rows.all(JSON.stringify(positions), runId);
  }
}
