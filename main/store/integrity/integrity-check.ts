import type Database from 'better-sqlite3';

/** quick_check at every start (pages and b-trees, O(size)); integrity_check on demand (also indexes). */
export type IntegrityMode = 'quick' | 'full';

export type IntegrityReport =
  | { readonly ok: true; readonly mode: IntegrityMode }
  | { readonly ok: false; readonly mode: IntegrityMode; readonly problems: readonly string[] };

/** SQLite stops listing after this many problems; a report only needs the first few to be actionable. */
const MAX_PROBLEMS = 20;

export const PRAGMA_FOR: Readonly<Record<IntegrityMode, string>> = {
  quick: 'quick_check',
  full: 'integrity_check',
};

/**
 * Runs SQLite's own consistency check on `db` and never throws for damage: a page so broken that
 * the check itself fails ("database disk image is malformed", "file is not a database") is reported
 * as a problem like any other, so every caller refuses the same way.
 */
export function checkIntegrity(db: Database.Database, mode: IntegrityMode): IntegrityReport {
  let lines: string[];
  try {
    lines = (db.pragma(`${PRAGMA_FOR[mode]}(${MAX_PROBLEMS})`) as Record<string, string>[]).map(
      (row) => Object.values(row)[0] ?? '',
    );
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
      return { ok: false, mode, problems: [(error as Error).message] };
    }
    throw error; // busy, I/O, out of memory: not a verdict on the file
  }
  if (lines.length === 1 && lines[0] === 'ok') return { ok: true, mode };
  return { ok: false, mode, problems: lines };
}

export function describeProblems(report: Extract<IntegrityReport, { ok: false }>): string {
  const shown = report.problems.slice(0, 3).join('; ');
  const more = report.problems.length > 3 ? ` and ${report.problems.length - 3} more` : '';
  return `PRAGMA ${PRAGMA_FOR[report.mode]}: ${shown}${more}`;
}
