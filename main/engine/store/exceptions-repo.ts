import type Database from 'better-sqlite3';
import type {
  ExceptionAttempt,
  ExceptionCounts,
  ExceptionDetail,
  ExceptionFilter,
  ExceptionGroup,
  ExceptionNote,
  ExceptionPage,
  ExceptionSummary,
} from '../../../shared/domain/exception.js';
import { errorSignature } from '../../../shared/domain/exception-signature.js';
import { FIX_OF_EXCEPTION_SQL } from './exception-fixes-repo.js';
import { sanitisedMessage } from './exception-recorder.js';

interface ExceptionRow {
  id: string;
  flow_id: string;
  source_type: string;
  source_id: string;
  source_version: string;
  source_payload: string | null;
  latest_source_version: string;
  latest_source_payload: string | null;
  mapped_payload: string | null;
  target_key: string | null;
  stage: ExceptionSummary['stage'];
  class: ExceptionSummary['class'];
  error_code: string;
  error_field: string;
  signature: string | null;
  error_message: string;
  state: ExceptionSummary['state'];
  assignee: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
  last_failed_at: string;
  last_run_id: string;
  resolved_by_run: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
  next_attempt_at: string | null;
  fix_id: string | null;
}

interface GroupRow {
  signature: string | null;
  count: number;
  flows: number;
  oldest: string;
  newest: string;
}

interface SampleRow {
  class: ExceptionGroup['class'];
  error_code: string;
  error_field: string;
  error_message: string;
}

/** The inbox's columns: everything but the payloads, which only `get` reads. */
const SUMMARY_COLUMNS = `id, flow_id, source_type, source_id, stage, class, error_code, error_field, signature,
  error_message, target_key, state, assignee, attempts, created_at, updated_at, last_failed_at, last_run_id,
  resolved_by_run, resolved_by, resolved_at, resolution, next_attempt_at, ${FIX_OF_EXCEPTION_SQL} AS fix_id`;

function toSummary(
  row: Omit<
    ExceptionRow,
    'source_version' | 'source_payload' | 'latest_source_version' | 'latest_source_payload' | 'mapped_payload'
  >,
): ExceptionSummary {
  return {
    id: row.id,
    flowId: row.flow_id,
    sourceType: row.source_type,
    sourceId: row.source_id,
    stage: row.stage,
    class: row.class,
    errorCode: row.error_code,
    errorField: row.error_field,
    signature: row.signature ?? `${row.error_code}||`,
    errorMessage: row.error_message,
    targetKey: row.target_key,
    state: row.state,
    assignee: row.assignee,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastFailedAt: row.last_failed_at,
    lastRunId: row.last_run_id,
    resolvedByRun: row.resolved_by_run,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
    nextAttemptAt: row.next_attempt_at,
    fixId: row.fix_id,
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A page cursor: the last row's creation time and id (rows are listed newest first). */
export function exceptionCursor(summary: Pick<ExceptionSummary, 'createdAt' | 'id'>): string {
  return `${summary.createdAt}~${summary.id}`;
}

function whereOf(filter: ExceptionFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]): void => {
    parts.push(sql);
    params.push(...values);
  };
  if (filter.flowId !== undefined) add('flow_id = ?', filter.flowId);
  if (filter.class !== undefined) add('class = ?', filter.class);
  if (filter.state !== undefined) add('state = ?', filter.state);
  if (filter.assignee === null) add('assignee IS NULL');
  else if (filter.assignee !== undefined) add('assignee = ?', filter.assignee);
  if (filter.signature !== undefined) add('signature = ?', filter.signature);
  if (filter.createdAfter !== undefined) add('created_at >= ?', new Date(filter.createdAfter).toISOString());
  if (filter.createdBefore !== undefined) add('created_at < ?', new Date(filter.createdBefore).toISOString());
  if (filter.text !== undefined && filter.text !== '') {
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add("(source_id LIKE ? ESCAPE '\\' OR error_message LIKE ? ESCAPE '\\')", like, like);
    // 3+ characters: the trigram index (migration 009) names the candidate rows, the LIKE above
    // keeps exactly its own meaning on them; shorter text has no trigram, so the LIKE reads all.
    if (Array.from(filter.text).length >= 3) {
      add(
        'rowid IN (SELECT rowid FROM exceptions_text WHERE exceptions_text MATCH ?)',
        `"${filter.text.replace(/"/g, '""')}"`,
      );
    }
  }
  return { sql: parts.length === 0 ? '1 = 1' : parts.join(' AND '), params };
}

/** UTF-8 byte order with NULL first: SQLite's `ORDER BY signature` on a BINARY column. */
function bySignature(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Per-flow group rows → one row per signature, largest first (ties by signature). */
function foldBySignature(perFlow: readonly GroupRow[]): GroupRow[] {
  const groups = new Map<string | null, GroupRow>();
  for (const row of perFlow) {
    const group = groups.get(row.signature);
    if (group === undefined) {
      groups.set(row.signature, { ...row });
      continue;
    }
    group.count += row.count;
    group.flows += 1;
    if (row.oldest < group.oldest) group.oldest = row.oldest;
    if (row.newest > group.newest) group.newest = row.newest;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || bySignature(a.signature, b.signature));
}

export class ExceptionNotFoundError extends Error {
  constructor(id: string) {
    super(`There is no exception ${id}.`);
    this.name = 'ExceptionNotFoundError';
  }
}

export class ExceptionStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExceptionStateError';
  }
}

/**
 * Exceptions as the console reads and settles them (the engine writes them: exception-recorder.ts).
 * Filters are optional, so queries are built per call from fixed fragments; every value is a
 * parameter.
 */
export class ExceptionsRepo {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.q = {
      get: db.prepare<[string], ExceptionRow>(
        `SELECT *, ${FIX_OF_EXCEPTION_SQL} AS fix_id FROM exceptions WHERE id = ?`,
      ),
      attempts: db.prepare<
        [string],
        {
          id: number;
          run_id: string | null;
          at: string;
          outcome: 'failed' | 'succeeded';
          stage: ExceptionAttempt['stage'];
          error_code: string | null;
          error_message: string | null;
          source_version: string;
        }
      >('SELECT * FROM exception_attempts WHERE exception_id = ? ORDER BY id'),
      notes: db.prepare<[string], ExceptionNote>(
        'SELECT id, author, at, text FROM exception_notes WHERE exception_id = ? ORDER BY id',
      ),
      assign: db.prepare('UPDATE exceptions SET assignee = ?, updated_at = ? WHERE id = ?'),
      note: db.prepare('INSERT INTO exception_notes (exception_id, author, at, text) VALUES (?, ?, ?, ?)'),
      ignore: db.prepare(
        `UPDATE exceptions SET state = 'ignored', resolved_by = ?, resolved_at = ?, resolved_by_run = NULL,
           resolution = ?, updated_at = ? WHERE id = ? AND state IN ('open', 'retrying', 'dead')`,
      ),
      // Grouped in the covering index's own order (state, flow): a plain count per entry and no
      // temporary b-tree; open and retrying are added up in counts() (about 3x faster than summing
      // expressions per row and regrouping by flow, over 100,000 exceptions).
      counts: db.prepare<[], { state: 'open' | 'retrying' | 'dead'; flow_id: string; n: number }>(
        `SELECT state, flow_id, count(*) AS n
         FROM exceptions INDEXED BY exceptions_by_state_flow WHERE state IN ('open', 'retrying', 'dead')
         GROUP BY state, flow_id`,
      ),
      unsigned: db.prepare<[], { id: string; error_code: string; error_message: string }>(
        'SELECT id, error_code, error_message FROM exceptions WHERE signature IS NULL LIMIT 500',
      ),
      sign: db.prepare(
        'UPDATE exceptions SET signature = ?, error_field = ?, error_message = ? WHERE id = ?',
      ),
    };
  }

  list(filter: ExceptionFilter, cursor: string | undefined, limit: number): ExceptionPage {
    const where = whereOf(filter);
    const params = [...where.params];
    let after = '';
    if (cursor !== undefined) {
      const at = cursor.indexOf('~');
      const createdAt = cursor.slice(0, at);
      after = ' AND (created_at < ? OR (created_at = ? AND id < ?))';
      params.push(createdAt, createdAt, cursor.slice(at + 1));
    }
    const rows = this.db
      .prepare<unknown[], ExceptionRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM exceptions WHERE ${where.sql}${after}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(...params, limit + 1);
    const items = rows.slice(0, limit).map(toSummary);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last !== undefined ? exceptionCursor(last) : null };
  }

  /**
   * Groups by signature in two steps: the counts from the covering index alone, then one indexed
   * look-up per group (at most `limit`) for its class, code, field and a sample message.
   */
  groups(filter: ExceptionFilter, limit: number): ExceptionGroup[] {
    const where = whereOf(filter);
    // Per (signature, flow) in the covering index's order, folded per signature here: SQLite then
    // needs no temporary b-tree per group for count(DISTINCT flow_id) (about 25% faster).
    const perFlow = this.db
      .prepare<unknown[], GroupRow>(
        `SELECT signature, count(*) AS count, 1 AS flows, min(created_at) AS oldest, max(created_at) AS newest
         FROM exceptions WHERE ${where.sql} GROUP BY signature, flow_id`,
      )
      .all(...where.params);
    const rows = foldBySignature(perFlow).slice(0, limit);
    const sample = this.db.prepare<unknown[], SampleRow>(
      `SELECT class, error_code, error_field, error_message FROM exceptions
       WHERE ${where.sql} AND signature IS ? LIMIT 1`,
    );
    return rows.flatMap((row) => {
      const member = sample.get(...where.params, row.signature);
      if (member === undefined) return [];
      return [
        {
          signature: row.signature ?? `${member.error_code}||`,
          errorCode: member.error_code,
          errorField: member.error_field,
          class: member.class,
          count: row.count,
          flows: row.flows,
          oldest: row.oldest,
          newest: row.newest,
          sampleMessage: member.error_message,
        },
      ];
    });
  }

  get(id: string): ExceptionDetail {
    const row = this.q.get.get(id);
    if (row === undefined) throw new ExceptionNotFoundError(id);
    return {
      ...toSummary(row),
      sourceVersion: row.source_version,
      sourcePayload: parseJson(row.source_payload),
      latestSourceVersion: row.latest_source_version,
      latestSourcePayload: parseJson(row.latest_source_payload),
      mappedPayload: parseJson(row.mapped_payload),
      attemptHistory: this.q.attempts.all(id).map((a) => ({
        id: a.id,
        runId: a.run_id,
        at: a.at,
        outcome: a.outcome,
        stage: a.stage,
        errorCode: a.error_code,
        errorMessage: a.error_message,
        sourceVersion: a.source_version,
      })),
      notes: this.q.notes.all(id),
    };
  }

  summary(id: string): ExceptionSummary {
    const row = this.q.get.get(id);
    if (row === undefined) throw new ExceptionNotFoundError(id);
    return toSummary(row);
  }

  assign(id: string, assignee: string | null): ExceptionSummary {
    if (this.q.assign.run(assignee, this.now().toISOString(), id).changes === 0) {
      throw new ExceptionNotFoundError(id);
    }
    return this.summary(id);
  }

  note(id: string, author: string, text: string): ExceptionNote {
    this.summary(id);
    const at = this.now().toISOString();
    const noteId = Number(this.q.note.run(id, author, at, text).lastInsertRowid);
    return { id: noteId, author, at, text };
  }

  /** Ignore with a reason; only an unsettled exception can be ignored. */
  ignore(id: string, by: string, reason: string): ExceptionSummary {
    const current = this.summary(id);
    const at = this.now().toISOString();
    if (this.q.ignore.run(by, at, reason, at, id).changes === 0) {
      throw new ExceptionStateError(
        `The exception is ${current.state}; only an open, retrying or dead one can be ignored.`,
      );
    }
    return this.summary(id);
  }

  /**
   * The unsettled (open, retrying, dead) exceptions a filter or a group selects, up to `limit`:
   * what a bulk retry sends. Resolved and ignored ones are never replayed by a selection.
   */
  unsettledIds(filter: ExceptionFilter, limit: number): string[] {
    const where = whereOf(filter);
    return this.db
      .prepare<unknown[], { id: string }>(
        `SELECT id FROM exceptions WHERE ${where.sql} AND state IN ('open', 'retrying', 'dead')
         ORDER BY created_at, id LIMIT ?`,
      )
      .all(...where.params, limit)
      .map((row) => row.id);
  }

  counts(): ExceptionCounts[] {
    const byFlow = new Map<string, { open: number; dead: number }>();
    for (const row of this.q.counts.all()) {
      const flow = byFlow.get(row.flow_id) ?? { open: 0, dead: 0 };
      if (row.state === 'dead') flow.dead += row.n;
      else flow.open += row.n;
      byFlow.set(row.flow_id, flow);
    }
    return [...byFlow]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([flowId, n]) => ({ flowId, open: n.open, dead: n.dead }));
  }

  /**
   * Signs the exceptions migration 006 backfilled (SQL cannot compute the signature): the same pure
   * function the engine uses, so old and new exceptions with one cause fall into one group.
   */
  fillMissingSignatures(): number {
    let filled = 0;
    const batch = this.db.transaction(() => {
      const rows = this.q.unsigned.all();
      for (const row of rows) {
        const message = sanitisedMessage(row.error_message);
        const signature = errorSignature(row.error_code, message);
        this.q.sign.run(signature.signature, signature.field, message, row.id);
      }
      return rows.length;
    });
    for (let n = batch.immediate(); n > 0; n = batch.immediate()) filled += n;
    return filled;
  }
}
