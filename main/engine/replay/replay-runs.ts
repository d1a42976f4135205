import type Database from 'better-sqlite3';
import { MAX_EDITED_PAYLOAD_CHARS, type ReplayStarted } from '../../../shared/domain/exception.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run } from '../../../shared/domain/run.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import { EngineRequestError } from '../runner/engine-errors.js';
import type { FlowsRepo } from '../store/flows-repo.js';
import type { MappingsRepo } from '../store/mappings-repo.js';
import { ReplayRepo, type ReplayCandidate } from '../store/replay-repo.js';
import { retryDelayMs, type AutoRetryPolicy } from '../store/retry-policy.js';
import type { RunsRepo } from '../store/runs-repo.js';

export interface ReplayRunsDeps {
  readonly db: Database.Database;
  readonly flows: FlowsRepo;
  readonly runs: RunsRepo;
  readonly mappings: MappingsRepo;
  readonly compiled: (mappingId: string, version: number) => CompiledMapping;
  /** Hands a created run to the engine's queue. */
  readonly queue: (run: Run) => void;
  /** A reason not to start unattended work on this flow now (a held connection), or null. */
  readonly heldFor: (flow: Flow) => string | null;
  /** The automatic-retry policy of a flow (its own, or the engine's default). */
  readonly policyFor: (flowId: string) => AutoRetryPolicy;
  readonly now: () => Date;
}

/** At most this many exceptions per automatic-retry tick: one tick never queues an endless run. */
export const AUTO_RETRY_BATCH = 1000;

/**
 * Replay runs: a run with trigger 'replay' whose input is the stored payloads of chosen exceptions
 * (replay_items, written with the run in one transaction so a queued replay survives a restart).
 * One run per flow of the selection, mapped with the flow's ACTIVE mapping when it runs.
 */
export class ReplayRuns {
  private readonly replays: ReplayRepo;

  constructor(private readonly deps: ReplayRunsDeps) {
    this.replays = new ReplayRepo(deps.db);
  }

  get repo(): ReplayRepo {
    return this.replays;
  }

  /** Retry: sends these exceptions' records again (the unsettled ones not already on their way). */
  retry(exceptionIds: readonly string[], requestedBy: string): ReplayStarted {
    const candidates = this.replays.sendable(exceptionIds);
    const runs = this.start(
      candidates,
      requestedBy,
      () => null,
      (candidate) => this.replays.refreshBudget(candidate.id),
    );
    return { runs, skipped: new Set(exceptionIds).size - candidates.length };
  }

  /**
   * Edit-and-replay: the edited payload is mapped and validated with the active mapping first; a
   * failure refuses the request (nothing stored, nothing sent). Otherwise it is stored as a new
   * child of the exception and sent by a replay run.
   */
  async replayEdited(
    exceptionId: string,
    sourcePayload: unknown,
    requestedBy: string,
  ): Promise<ReplayStarted> {
    const payloadJson = JSON.stringify(sourcePayload);
    if (payloadJson.length > MAX_EDITED_PAYLOAD_CHARS) {
      throw new EngineRequestError(
        'invalid-input',
        `The edited record is ${payloadJson.length} characters; at most ${MAX_EDITED_PAYLOAD_CHARS} are accepted.`,
      );
    }
    const [candidate] = this.replays.sendable([exceptionId]);
    if (candidate === undefined) {
      throw new EngineRequestError(
        'conflict',
        'That exception is settled, unknown, or already being replayed; only an open, retrying or dead one can be replayed.',
      );
    }
    const { flow, mappingVersion } = this.flowAndMapping(candidate.flow_id);
    const reasons = await this.validate(this.deps.compiled(flow.mappingId, mappingVersion), sourcePayload);
    if (reasons.length > 0) {
      throw new EngineRequestError(
        'invalid-input',
        `The edited record does not pass the active mapping: ${reasons.join('; ')}`,
      );
    }
    const runs = this.start(
      [candidate],
      requestedBy,
      (id) =>
        id === exceptionId
          ? this.replays.addEdit(exceptionId, payloadJson, requestedBy, this.deps.now().toISOString())
          : null,
      (queued) => this.replays.refreshBudget(queued.id),
    );
    return { runs, skipped: 0 };
  }

  /**
   * The automatic retry tick: transient exceptions whose backoff has passed are replayed, at most
   * AUTO_RETRY_BATCH per tick. A flow whose connection is held waits (its retries are not spent).
   */
  retryDue(): Run[] {
    const now = this.deps.now();
    const due = this.replays.due(now.toISOString(), AUTO_RETRY_BATCH).filter((candidate) => {
      const flow = this.deps.flows.get(candidate.flow_id);
      return flow !== null && this.deps.heldFor(flow) === null;
    });
    if (due.length === 0) return [];
    const started = this.start(
      due,
      'engine:auto-retry',
      () => null,
      (candidate) => {
        const until =
          now.getTime() + retryDelayMs(this.deps.policyFor(candidate.flow_id), candidate.auto_retries);
        this.replays.postpone(candidate.id, new Date(until).toISOString());
      },
    );
    return started.flatMap((entry) => {
      const run = this.deps.runs.get(entry.runId);
      return run === null ? [] : [run];
    });
  }

  private start(
    candidates: readonly ReplayCandidate[],
    requestedBy: string,
    editOf: (exceptionId: string) => number | null,
    onQueued: (candidate: ReplayCandidate) => void = () => undefined,
  ): ReplayStarted['runs'] {
    const byFlow = new Map<string, ReplayCandidate[]>();
    for (const candidate of candidates) {
      const list = byFlow.get(candidate.flow_id) ?? [];
      list.push(candidate);
      byFlow.set(candidate.flow_id, list);
    }
    const created: Run[] = [];
    const answer: { runId: string; flowId: string; count: number }[] = [];
    // One transaction: the runs, their items, the edits and the postponed retries, or none of it.
    this.deps.db
      .transaction(() => {
        for (const [flowId, members] of byFlow) {
          const { flow, mappingVersion } = this.flowAndMapping(flowId);
          const run = this.deps.runs.create({
            flowId: flow.id,
            trigger: 'replay',
            requestedBy,
            mappingId: flow.mappingId,
            mappingVersion,
            cursorBefore: flow.cursor,
            backfillFrom: null,
          });
          this.replays.addItems(
            run.id,
            members.map((member) => ({ exceptionId: member.id, editId: editOf(member.id) })),
          );
          for (const member of members) onQueued(member);
          created.push(run);
          answer.push({ runId: run.id, flowId: flow.id, count: members.length });
        }
      })
      .immediate();
    for (const run of created) this.deps.queue(run);
    return answer;
  }

  private flowAndMapping(flowId: string): { flow: Flow; mappingVersion: number } {
    const flow = this.deps.flows.get(flowId);
    if (!flow) throw new EngineRequestError('not-found', 'The flow of that exception no longer exists.');
    const mapping = this.deps.mappings.activeVersion(flow.mappingId);
    if (!mapping) {
      throw new EngineRequestError(
        'conflict',
        "The flow's mapping has no active version: approve and activate one first.",
      );
    }
    return { flow, mappingVersion: mapping.version };
  }

  /** Why a record would not pass the mapping (empty: it maps and every error rule holds). */
  private async validate(mapping: CompiledMapping, data: unknown): Promise<string[]> {
    try {
      const outcome = await mapping.map(data);
      return outcome.rules
        .filter((rule) => !rule.passed && rule.severity === 'error')
        .map((rule) => `${rule.id}: ${rule.message}`);
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)];
    }
  }
}
