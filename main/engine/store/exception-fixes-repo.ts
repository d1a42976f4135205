import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  ACTIVE_EXCEPTION_FIX_STATES,
  type ExceptionFix,
  type ExceptionFixKind,
  type ExceptionFixState,
} from '../../../shared/domain/exception-fix.js';

interface FixRow {
  id: string;
  kind: ExceptionFixKind;
  state: ExceptionFixState;
  signature: string;
  flow_id: string;
  error_message: string | null;
  mapping_id: string | null;
  mapping_version: number | null;
  value_map: string | null;
  code: string | null;
  mapped_to: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  replay_started_by: string | null;
  next_attempt_at: string | null;
  attempts: number;
}

export type StoredFix = FixRow;

export interface NewMapCodeFix {
  readonly signature: string;
  readonly flowId: string;
  readonly errorMessage: string;
  readonly mappingId: string;
  readonly mappingVersion: number;
  readonly valueMap: string;
  readonly code: string;
  readonly mappedTo: string;
  readonly createdBy: string;
}

const ACTIVE = `('${ACTIVE_EXCEPTION_FIX_STATES.join("', '")}')`;
const UNSETTLED = "('open', 'retrying', 'dead')";
/** States in which the fix's replay runs exist; before them every unsettled member simply waits. */
const REPLAYED_STATES: readonly ExceptionFixState[] = ['replaying', 'done', 'superseded'];

/** The active fix covering an exception (newest first), for the inbox's summaries. */
export const FIX_OF_EXCEPTION_SQL = `(SELECT m.fix_id FROM exception_fix_members m JOIN exception_fixes f ON f.id = m.fix_id
  WHERE m.exception_id = exceptions.id AND f.state IN ${ACTIVE} ORDER BY f.created_at DESC LIMIT 1)`;

function newFixId(): string {
  return `fix_${randomBytes(10).toString('hex')}`;
}

/**
 * One-click fixes as stored (migration 008): read by the console, created by its handlers, moved on
 * by the engine (main/engine/replay/exception-fixes.ts). Progress is counted over the members from
 * the exceptions' own states, so it never drifts from what the inbox shows.
 */
export class ExceptionFixesRepo {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.q = {
      get: db.prepare<[string], FixRow>('SELECT * FROM exception_fixes WHERE id = ?'),
      runs: db.prepare<[string], { run_id: string }>(
        'SELECT run_id FROM exception_fix_runs WHERE fix_id = ? ORDER BY run_id',
      ),
      progress: db.prepare<
        [string],
        { total: number; resolved: number | null; inflight: number | null; waiting: number | null }
      >(
        `SELECT count(*) AS total, sum(e.state IN ('resolved', 'ignored')) AS resolved,
           sum(e.state IN ${UNSETTLED} AND e.class = 'reference') AS waiting,
           sum(e.state IN ${UNSETTLED} AND EXISTS (SELECT 1 FROM replay_items ri
             JOIN runs r ON r.id = ri.run_id AND r.status IN ('queued', 'running', 'paused')
             JOIN exception_fix_runs fr ON fr.run_id = r.id AND fr.fix_id = m.fix_id
             WHERE ri.exception_id = e.id)) AS inflight
         FROM exception_fix_members m JOIN exceptions e ON e.id = m.exception_id WHERE m.fix_id = ?`,
      ),
      insert: db.prepare(
        `INSERT INTO exception_fixes (id, kind, state, signature, flow_id, error_message, mapping_id, mapping_version,
           value_map, code, mapped_to, created_by, created_at, updated_at, next_attempt_at)
         VALUES (@id, @kind, @state, @signature, @flowId, @errorMessage, @mappingId, @mappingVersion, @valueMap, @code,
           @mappedTo, @createdBy, @at, @at, @nextAttemptAt)`,
      ),
      member: db.prepare('INSERT OR IGNORE INTO exception_fix_members (fix_id, exception_id) VALUES (?, ?)'),
      addRun: db.prepare('INSERT OR IGNORE INTO exception_fix_runs (fix_id, run_id) VALUES (?, ?)'),
      setState: db.prepare('UPDATE exception_fixes SET state = ?, updated_at = ? WHERE id = ? AND state = ?'),
      started: db.prepare(
        "UPDATE exception_fixes SET state = 'replaying', replay_started_by = ?, updated_at = ? WHERE id = ?",
      ),
      backoff: db.prepare(
        'UPDATE exception_fixes SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ? WHERE id = ?',
      ),
      covered: db.prepare<[string, string, string], { id: string }>(
        `SELECT e.id FROM exceptions e WHERE e.state IN ${UNSETTLED} AND e.signature = ? AND e.error_message = ?
           AND e.flow_id IN (SELECT id FROM flows WHERE json_extract(definition, '$.mappingId') = ?)
         ORDER BY e.id`,
      ),
      unsettledMembers: db.prepare<[string], { id: string }>(
        `SELECT e.id FROM exception_fix_members m JOIN exceptions e ON e.id = m.exception_id
         WHERE m.fix_id = ? AND e.state IN ${UNSETTLED} ORDER BY e.id`,
      ),
      waitingMembers: db.prepare<[string], { id: string }>(
        `SELECT e.id FROM exception_fix_members m JOIN exceptions e ON e.id = m.exception_id
         WHERE m.fix_id = ? AND e.state IN ${UNSETTLED} AND e.class = 'reference' ORDER BY e.id`,
      ),
      unfinishedRuns: db.prepare<[string], { n: number }>(
        `SELECT count(*) AS n FROM exception_fix_runs fr JOIN runs r ON r.id = fr.run_id
         WHERE fr.fix_id = ? AND r.status IN ('queued', 'running', 'paused')`,
      ),
      inStates: db.prepare<[string], FixRow>(
        'SELECT * FROM exception_fixes WHERE state IN (SELECT value FROM json_each(?)) ORDER BY created_at',
      ),
      ofRun: db.prepare<[string], FixRow>(
        'SELECT f.* FROM exception_fix_runs fr JOIN exception_fixes f ON f.id = fr.fix_id WHERE fr.run_id = ?',
      ),
      openMapCode: db.prepare<[string, string, string], FixRow>(
        `SELECT * FROM exception_fixes WHERE kind = 'map-code' AND state IN ('awaiting-approval', 'awaiting-activation')
           AND mapping_id = ? AND value_map = ? AND code = ? ORDER BY created_at DESC LIMIT 1`,
      ),
      newestOpenDraft: db.prepare<[string], { version: number | null }>(
        `SELECT max(mapping_version) AS version FROM exception_fixes
         WHERE kind = 'map-code' AND state IN ('awaiting-approval', 'awaiting-activation') AND mapping_id = ?`,
      ),
      waitingOn: db.prepare<[string], FixRow>(
        `SELECT f.* FROM exception_fixes f JOIN flows fl ON fl.id = f.flow_id
         WHERE f.state = 'waiting' AND json_extract(fl.definition, '$.targetConnectionId') = ? ORDER BY f.created_at`,
      ),
      waitingDue: db.prepare<[string], FixRow>(
        "SELECT * FROM exception_fixes WHERE state = 'waiting' AND next_attempt_at <= ? ORDER BY next_attempt_at",
      ),
      activeOfMember: db.prepare<[string, string], FixRow>(
        `SELECT f.* FROM exception_fix_members m JOIN exception_fixes f ON f.id = m.fix_id
         WHERE m.exception_id = ? AND f.kind = ? AND f.state IN ${ACTIVE} ORDER BY f.created_at DESC LIMIT 1`,
      ),
    };
  }

  get(id: string): ExceptionFix | null {
    const row = this.q.get.get(id);
    return row === undefined ? null : this.toFix(row);
  }

  stored(id: string): StoredFix | null {
    return this.q.get.get(id) ?? null;
  }

  list(filter: { flowId?: string; signature?: string; active: boolean }, limit: number): ExceptionFix[] {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (filter.flowId !== undefined) {
      parts.push('flow_id = ?');
      params.push(filter.flowId);
    }
    if (filter.signature !== undefined) {
      parts.push('signature = ?');
      params.push(filter.signature);
    }
    if (filter.active) parts.push(`state IN ${ACTIVE}`);
    const where = parts.length === 0 ? '1 = 1' : parts.join(' AND ');
    return this.db
      .prepare<unknown[], FixRow>(
        `SELECT * FROM exception_fixes WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(...params, limit)
      .map((row) => this.toFix(row));
  }

  /** The unsettled exceptions a map-code fix unblocks: same signature and message, flows on the mapping. */
  coveredByCode(signature: string, errorMessage: string, mappingId: string): string[] {
    return this.q.covered.all(signature, errorMessage, mappingId).map((row) => row.id);
  }

  /** A map-code fix still waiting for approval or activation of the same entry, if any. */
  openMapCode(mappingId: string, valueMap: string, code: string): StoredFix | null {
    return this.q.openMapCode.get(mappingId, valueMap, code) ?? null;
  }

  /** The newest mapping version an open map-code fix of this mapping wrote, or null. */
  newestOpenDraft(mappingId: string): number | null {
    return this.q.newestOpenDraft.get(mappingId)?.version ?? null;
  }

  /** The active fix of this kind already covering an exception, if any. */
  activeCovering(exceptionId: string, kind: ExceptionFixKind): StoredFix | null {
    return this.q.activeOfMember.get(exceptionId, kind) ?? null;
  }

  createMapCode(fix: NewMapCodeFix, members: readonly string[]): string {
    return this.insert(
      { ...fix, kind: 'map-code', state: 'awaiting-approval', nextAttemptAt: null },
      members,
    );
  }

  createAwaitReference(
    fix: { signature: string; flowId: string; createdBy: string; nextAttemptAt: string },
    members: readonly string[],
  ): string {
    return this.insert(
      {
        ...fix,
        kind: 'await-reference',
        state: 'waiting',
        errorMessage: null,
        mappingId: null,
        mappingVersion: null,
        valueMap: null,
        code: null,
        mappedTo: null,
      },
      members,
    );
  }

  addMembers(fixId: string, exceptionIds: readonly string[]): void {
    for (const id of exceptionIds) this.q.member.run(fixId, id);
  }

  addRuns(fixId: string, runIds: readonly string[]): void {
    for (const runId of runIds) this.q.addRun.run(fixId, runId);
  }

  unsettledMembers(fixId: string): string[] {
    return this.q.unsettledMembers.all(fixId).map((row) => row.id);
  }

  /**
   * What an await-reference fix still waits for: its unsettled members still failing for a missing
   * reference. One that now fails for another reason needs another fix, not another wait.
   */
  waitingMembers(fixId: string): string[] {
    return this.q.waitingMembers.all(fixId).map((row) => row.id);
  }

  unfinishedRuns(fixId: string): number {
    return this.q.unfinishedRuns.get(fixId)?.n ?? 0;
  }

  /** Moves a fix on only from the state the caller saw (another engine may have moved it already). */
  transition(id: string, from: ExceptionFixState, to: ExceptionFixState): boolean {
    return this.q.setState.run(to, this.stamp(), id, from).changes === 1;
  }

  markReplaying(id: string, startedBy: string): void {
    this.q.started.run(startedBy, this.stamp(), id);
  }

  postpone(id: string, untilIso: string): void {
    this.q.backoff.run(untilIso, this.stamp(), id);
  }

  inStates(states: readonly ExceptionFixState[]): StoredFix[] {
    return this.q.inStates.all(JSON.stringify(states));
  }

  ofRun(runId: string): StoredFix[] {
    return this.q.ofRun.all(runId);
  }

  waitingOnConnection(connectionId: string): StoredFix[] {
    return this.q.waitingOn.all(connectionId);
  }

  waitingDue(nowIso: string): StoredFix[] {
    return this.q.waitingDue.all(nowIso);
  }

  private insert(
    fix: Omit<
      NewMapCodeFix,
      'errorMessage' | 'mappingId' | 'mappingVersion' | 'valueMap' | 'code' | 'mappedTo'
    > & {
      kind: ExceptionFixKind;
      state: ExceptionFixState;
      errorMessage: string | null;
      mappingId: string | null;
      mappingVersion: number | null;
      valueMap: string | null;
      code: string | null;
      mappedTo: string | null;
      nextAttemptAt: string | null;
    },
    members: readonly string[],
  ): string {
    const id = newFixId();
    this.db.transaction(() => {
      this.q.insert.run({ ...fix, id, at: this.stamp() });
      this.addMembers(id, members);
    })();
    return id;
  }

  private toFix(row: FixRow): ExceptionFix {
    const counted = this.q.progress.get(row.id);
    const total = counted?.total ?? 0;
    const resolved = counted?.resolved ?? 0;
    const unsettled = total - resolved;
    let inflight = REPLAYED_STATES.includes(row.state) ? (counted?.inflight ?? 0) : unsettled;
    // A waiting await-reference fix: what still fails for a missing reference waits; the rest failed.
    if (row.state === 'waiting') inflight = counted?.waiting ?? 0;
    return {
      id: row.id,
      kind: row.kind,
      state: row.state,
      signature: row.signature,
      flowId: row.flow_id,
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      mappingId: row.mapping_id,
      mappingVersion: row.mapping_version,
      valueMap: row.value_map,
      code: row.code,
      mappedTo: row.mapped_to,
      progress: { total, resolved, failed: unsettled - inflight, pending: inflight },
      replayRunIds: this.q.runs.all(row.id).map((r) => r.run_id),
      nextAttemptAt: row.state === 'waiting' ? row.next_attempt_at : null,
    };
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}
