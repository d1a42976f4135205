import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { ExceptionFixState } from '../../../shared/domain/exception-fix.js';
import type { ReplayStarted } from '../../../shared/domain/exception.js';
import { MAX_RETRY_SELECTION } from '../../../shared/domain/exception.js';
import type { Run } from '../../../shared/domain/run.js';
import { ExceptionFixesRepo, type StoredFix } from '../store/exception-fixes-repo.js';
import type { FlowsRepo } from '../store/flows-repo.js';
import type { MappingsRepo } from '../store/mappings-repo.js';
import { REFERENCE_RETRY_BACKOFF, retryDelayMs, type AutoRetryPolicy } from '../store/retry-policy.js';
import type { RunsRepo } from '../store/runs-repo.js';

export interface ExceptionFixesDeps {
  readonly db: Database.Database;
  readonly flows: FlowsRepo;
  readonly runs: RunsRepo;
  readonly mappings: MappingsRepo;
  /** The ordinary retry path (ReplayRuns.retry): replay runs for these exceptions, one per flow. */
  readonly retry: (exceptionIds: readonly string[], requestedBy: string) => ReplayStarted;
  readonly emit: (event: LiveEvent) => void;
  /** Writes the audit rows the outbox holds (and publishes them). */
  readonly flushAudit: () => void;
  /** The backoff of waiting await-reference fixes (1 min → 1 h unless a test says otherwise). */
  readonly referenceBackoff?: AutoRetryPolicy;
  readonly now: () => Date;
}

const AWAITING: readonly ExceptionFixState[] = ['awaiting-approval', 'awaiting-activation'];
const AUTOMATIC = 'engine:await-reference';

/**
 * The engine's side of one-click fixes (the console creates them: exception-fix-requests.ts).
 *
 * - A map-code fix applies the moment a version of its mapping holding the entry is ACTIVE (the
 *   activation handler pokes the engine; the periodic sweep catches any other way a version became
 *   active): every unsettled exception the code blocked is replayed through ReplayRuns, in runs of
 *   at most MAX_RETRY_SELECTION, audited under the person who activated the mapping.
 * - An await-reference fix replays its waiting exceptions after another run wrote through the same
 *   target connection (the referenced record may now exist), and on its own backoff.
 * - A fix is done when its replay runs finished (map-code) or nothing it covers is unsettled.
 */
export class ExceptionFixes {
  readonly repo: ExceptionFixesRepo;
  private readonly outbox;

  constructor(private readonly deps: ExceptionFixesDeps) {
    this.repo = new ExceptionFixesRepo(deps.db, deps.now);
    this.outbox = deps.db.prepare(
      'INSERT INTO engine_audit_outbox (action, target, outcome, detail, created_at, actor) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** Applies what became due: activated mappings, waiting fixes whose backoff passed, finished fixes. */
  sweep(): void {
    for (const fix of this.repo.inStates(AWAITING)) {
      this.applyIfActive(fix);
      this.supersedeIfSettled(fix);
    }
    const now = this.deps.now();
    for (const fix of this.repo.waitingDue(now.toISOString())) {
      const delay = retryDelayMs(this.deps.referenceBackoff ?? REFERENCE_RETRY_BACKOFF, fix.attempts + 1);
      this.repo.postpone(fix.id, new Date(now.getTime() + delay).toISOString());
      this.replayWaiting(fix);
    }
    for (const fix of this.repo.inStates(['replaying', 'waiting'])) this.settle(fix);
  }

  /** After a run finished: a replay run may finish a fix; another run's writes may unblock waiting ones. */
  afterRun(run: Run): void {
    if (run.trigger === 'replay') {
      for (const fix of this.repo.ofRun(run.id)) this.settle(fix);
      return;
    }
    if (run.counts.written < 1) return;
    const flow = this.deps.flows.get(run.flowId);
    if (flow === null) return;
    for (const fix of this.repo.waitingOnConnection(flow.targetConnectionId)) this.replayWaiting(fix);
  }

  private applyIfActive(fix: StoredFix): void {
    if (
      fix.mapping_id === null ||
      fix.mapping_version === null ||
      fix.value_map === null ||
      fix.code === null
    )
      return;
    const active = this.deps.mappings.activeVersion(fix.mapping_id);
    const holdsEntry =
      active !== null &&
      active.version >= fix.mapping_version &&
      Object.hasOwn(active.spec.valueMaps[fix.value_map]?.entries ?? {}, fix.code);
    if (!holdsEntry) return;
    const by = active.activatedBy ?? 'engine';
    const started = this.deps.db
      .transaction(() => {
        // Another engine (or an earlier sweep) may have applied it meanwhile.
        const current = this.repo.stored(fix.id);
        if (current === null || !AWAITING.includes(current.state)) return null;
        if (fix.error_message !== null)
          this.repo.addMembers(
            fix.id,
            this.repo.coveredByCode(fix.signature, fix.error_message, fix.mapping_id ?? ''),
          );
        this.repo.markReplaying(fix.id, by);
        return this.replayMembers(fix, by, fix.id);
      })
      .immediate();
    if (started === null) return;
    this.deps.flushAudit();
    this.changed(fix);
    this.settle({ ...fix, state: 'replaying' });
  }

  private replayWaiting(fix: StoredFix): void {
    const started = this.deps.db.transaction(() => this.replayMembers(fix, AUTOMATIC, null)).immediate();
    if (started.count > 0) {
      this.deps.flushAudit();
      this.changed(fix);
    }
    this.settle(fix);
  }

  /** Replay runs for the fix's unsettled members (in runs of at most MAX_RETRY_SELECTION), audited. */
  private replayMembers(fix: StoredFix, by: string, auditTarget: string | null): { count: number } {
    const ids =
      fix.kind === 'await-reference' ? this.repo.waitingMembers(fix.id) : this.repo.unsettledMembers(fix.id);
    const runs: ReplayStarted['runs'][number][] = [];
    for (let at = 0; at < ids.length; at += MAX_RETRY_SELECTION) {
      const started = this.deps.retry(ids.slice(at, at + MAX_RETRY_SELECTION), by);
      runs.push(...started.runs);
    }
    this.repo.addRuns(
      fix.id,
      runs.map((run) => run.runId),
    );
    const count = runs.reduce((sum, run) => sum + run.count, 0);
    const first = runs[0];
    if (count > 0 && first !== undefined) {
      this.outbox.run(
        'exceptions.fix.replay',
        auditTarget ?? `${fix.id}:${first.runId}`,
        'ok',
        JSON.stringify({ fix: fix.id, kind: fix.kind, count, runs }),
        this.deps.now().toISOString(),
        by,
      );
    }
    return { count };
  }

  /** done: a map-code fix once its replay runs finished, an await-reference one once nothing waits. */
  private settle(fix: StoredFix): void {
    const current = this.repo.stored(fix.id);
    if (current === null) return;
    let finished = false;
    if (current.state === 'replaying') finished = this.repo.unfinishedRuns(fix.id) === 0;
    else if (current.state === 'waiting') finished = this.repo.waitingMembers(fix.id).length === 0;
    if (finished && this.repo.transition(fix.id, current.state, 'done')) this.changed(fix);
  }

  /** Everything the fix would unblock was settled otherwise (ignored, fixed by hand) before it applied. */
  private supersedeIfSettled(fix: StoredFix): void {
    if (fix.error_message === null || fix.mapping_id === null) return;
    const current = this.repo.stored(fix.id);
    if (current === null || !AWAITING.includes(current.state)) return;
    if (this.repo.unsettledMembers(fix.id).length > 0) return;
    if (this.repo.coveredByCode(fix.signature, fix.error_message, fix.mapping_id).length > 0) return;
    if (this.repo.transition(fix.id, current.state, 'superseded')) this.changed(fix);
  }

  private changed(fix: StoredFix): void {
    this.deps.emit({ type: 'exceptions.changed', flowId: fix.flow_id, ids: [], state: null });
  }
}
