import type Database from 'better-sqlite3';

/**
 * How far out of time order two audit rows may be and still be found by a period search. Rows are
 * appended in time order (seq grows with `at`), but not strictly: the clock can be stepped back
 * (NTP, a laptop waking) and two connections append to one file (the console and the engine worker,
 * each taking its time just before its write transaction). So the seq bounds found by binary search
 * are widened by this margin on both sides, and the exact `at` predicate stays in every query: the
 * bounds only say where to look, the predicate says what matches.
 */
export const AUDIT_CLOCK_MARGIN_MS = 5 * 60_000;

/** Inclusive seq bounds; empty when lo > hi. */
export interface AuditSeqRange {
  readonly lo: number;
  readonly hi: number;
}

/** The ISO form the log stores (`Date#toISOString`), so `at` compares as text. */
export function normalizedInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a date and time: ${iso}`);
  return new Date(ms).toISOString();
}

/**
 * The seqs that can hold rows with `at` in [from, to): two binary searches over the primary key
 * (about 24 probes each on 10 million rows) instead of an index on `at`, which every append would
 * have to maintain (the audit append must stay close to a plain insert).
 */
export function auditSeqRange(
  db: Database.Database,
  period: { readonly from?: string | undefined; readonly to?: string | undefined },
  marginMs: number = AUDIT_CLOCK_MARGIN_MS,
): AuditSeqRange {
  // Two subqueries: SQLite answers a lone min() or max() from an end of the primary key, but min
  // and max in one SELECT scan the whole table.
  const extent = db
    .prepare<[], { lo: number | null; hi: number | null }>(
      'SELECT (SELECT min(seq) FROM audit_log) AS lo, (SELECT max(seq) FROM audit_log) AS hi',
    )
    .get();
  if (extent?.lo == null || extent.hi == null) return { lo: 1, hi: 0 };
  const firstAtOrAfter = firstSeqAtOrAfter(db, extent.lo, extent.hi);
  const shifted = (iso: string, by: number) => new Date(Date.parse(iso) + by).toISOString();
  const lo = period.from === undefined ? extent.lo : firstAtOrAfter(shifted(period.from, -marginMs));
  const hi = period.to === undefined ? extent.hi : firstAtOrAfter(shifted(period.to, marginMs)) - 1;
  return { lo, hi };
}

/** Lower-bound binary search: the first seq whose row is at or after `at` (hi + 1 when none is). */
function firstSeqAtOrAfter(db: Database.Database, minSeq: number, maxSeq: number): (at: string) => number {
  // `seq >= ?` rather than `seq = ?`: a store may have gaps in seq, the search must not stop on one.
  const probe = db.prepare<[number], { seq: number; at: string }>(
    'SELECT seq, at FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT 1',
  );
  return (at) => {
    let lo = minSeq;
    let hi = maxSeq + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const row = probe.get(mid);
      if (row === undefined) {
        hi = mid;
      } else if (row.at < at) {
        lo = row.seq + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
}
