import { randomBytes } from 'node:crypto';
import jsonata from 'jsonata';
import type { FallbackEntry } from '../../../shared/domain/fallback.js';
import type { Flow } from '../../../shared/domain/flow.js';
import { targetModelOf } from '../connectors/flow-endpoints.js';
import type { DeferReason } from '../outbox/outbox-repo.js';
import { mapRecords } from '../pipeline/map-page.js';
import { EngineRequestError } from '../runner/engine-errors.js';
import type { FailedRecord, RunContext } from '../store/batch-commit.js';
import { createExceptionRecorder } from '../store/exception-recorder.js';
import { FallbackEntriesRepo } from './fallback-entries-repo.js';
import { fallbackSettingsOf, sourceTypeOf, type FallbackSettings } from './fallback-form.js';
import { createFallbackMatcher, entryMatchTuple } from './fallback-matcher.js';
import type {
  FallbackEntryInput,
  FallbackMatcher,
  FallbackWorkApi,
  FallbackWorkDeps,
} from './fallback-types.js';
import { checkedValues, FallbackValuesError, sourceRecordOf } from './fallback-values.js';

/** The provisional id of an entry: its source record's `id`, its outbox rows' run id, its own id. */
export function newProvisionalId(): string {
  return `fallback-${randomBytes(8).toString('hex')}`;
}

/** As the runner orders records (execute-run.ts): a key that is not text or a number is none. */
function compileOrderingKey(expression: string): (data: unknown) => Promise<string> {
  const compiled = jsonata(expression, { timeout: 1000, stack: 200 });
  return async (data) => {
    const value: unknown = await compiled.evaluate(data);
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    throw new Error('no ordering key');
  };
}

/**
 * Manual fallback in the engine (issue 11, item 3). `enter` maps and validates an entry with the
 * flow's ACTIVE mapping exactly like a source record and queues the write in the outbox in the same
 * transaction that stores the entry (the caller then drains the flow's outbox, which sends it at once
 * when the target is up). `matcherFor` gives the pipeline the matcher that keeps the source's own
 * event from being written a second time when it arrives late (fallback-matcher.ts).
 */
export class FallbackWork implements FallbackWorkApi {
  private readonly entries: FallbackEntriesRepo;
  private readonly recorder: ReturnType<typeof createExceptionRecorder>;
  private readonly now: () => Date;

  constructor(private readonly deps: FallbackWorkDeps) {
    this.entries = new FallbackEntriesRepo(deps.db);
    this.recorder = createExceptionRecorder(deps.db);
    this.now = deps.now ?? (() => new Date());
  }

  async enter(input: FallbackEntryInput): Promise<FallbackEntry> {
    const { flow, settings, mappingVersion } = this.flowWithSettings(input.flowId);
    // A match key left blank could never match: it is required whatever the field says.
    const fields = settings.fields.map((field) =>
      settings.matchKeys.includes(field.name) ? { ...field, required: true } : field,
    );
    let values: Record<string, string | number>;
    try {
      values = checkedValues(fields, input.values);
    } catch (error) {
      if (error instanceof FallbackValuesError) throw new EngineRequestError('invalid-input', error.message);
      throw error;
    }
    const id = newProvisionalId();
    const at = this.now().toISOString();
    const data = sourceRecordOf(settings, values, id);
    const { good, failed } = await mapRecords(
      [{ type: sourceTypeOf(flow), sourceId: id, version: at, updatedAt: at, data }],
      {
        mapping: this.deps.compiled(flow.mappingId, mappingVersion),
        orderingKey: flow.orderingKey === '' ? null : compileOrderingKey(flow.orderingKey),
      },
    );
    const refused = failed[0];
    if (refused !== undefined) throw new EngineRequestError('invalid-input', refusalMessage(refused));
    const record = good[0];
    if (record === undefined) throw new Error('the entry neither mapped nor failed');

    const connectionId = flow.targetConnectionId;
    const connection = this.deps.connections.get(connectionId);
    const context: RunContext = {
      runId: id,
      flowId: flow.id,
      sourceSystem: 'fallback',
      targetSystem: connection?.kind ?? 'unknown',
      targetModel: targetModelOf(flow.targetOperation),
      mappingId: flow.mappingId,
      mappingVersion,
    };
    const reason = this.deferReason(connectionId);
    this.deps.db.transaction(() => {
      this.entries.insert({
        id,
        flowId: flow.id,
        provisionalKey: record.key,
        values,
        match: settings.matchKeys.length === 0 ? null : entryMatchTuple(settings, values),
        reason: input.reason,
        enteredBy: input.enteredBy,
        enteredAt: at,
      });
      this.deps.outbox.defer(context, connectionId, reason, [record], at);
    })();
    this.deps.log?.(
      `fallback entry ${id} for flow ${flow.id} by ${input.enteredBy}: queued under ${record.key} (${reason})`,
    );
    this.deps.emit({ type: 'outages.changed', change: 'fallback', connectionId: null, flowId: flow.id });
    const entry = this.entries.get(id);
    if (entry === null) throw new Error('fallback entry vanished after insert');
    return entry;
  }

  matcherFor(flowId: string): FallbackMatcher | null {
    const flow = this.deps.flows.get(flowId);
    // Derived forms have no match keys; without entries nothing can match (nor be a later version).
    if (flow?.fallback === undefined || flow.fallback.matchKeys.length === 0) return null;
    if (!this.entries.hasAny(flowId)) return null;
    return createFallbackMatcher({
      db: this.deps.db,
      entries: this.entries,
      flowId,
      settings: { ...flow.fallback, derived: false },
      recordDiffers: (context, failed, at) => this.recordDiffers(context, failed, at),
      emit: this.deps.emit,
      now: this.now,
    });
  }

  private flowWithSettings(flowId: string): {
    flow: Flow;
    settings: FallbackSettings;
    mappingVersion: number;
  } {
    const flow = this.deps.flows.get(flowId);
    if (flow === null)
      throw new EngineRequestError('not-found', 'That flow does not exist (it may have been deleted).');
    const active = this.deps.mappings.activeVersion(flow.mappingId);
    if (active === null)
      throw new EngineRequestError(
        'conflict',
        `The flow "${flow.name}" has no active mapping version: an entry cannot be mapped.`,
      );
    return { flow, settings: fallbackSettingsOf(flow, active.spec), mappingVersion: active.version };
  }

  /** Why the write waits: the target switched to degraded mode, its breaker open, or neither. */
  private deferReason(connectionId: string): DeferReason {
    const db = this.deps.db;
    if (
      db.prepare('SELECT 1 FROM connection_degraded WHERE connection_id = ?').get(connectionId) !== undefined
    )
      return 'degraded';
    const breaker = db
      .prepare<[string], { state: string }>('SELECT state FROM connection_breakers WHERE connection_id = ?')
      .get(connectionId);
    // Target up: the entry still goes through the outbox, whose drain sends it at once, in key order.
    return breaker !== undefined && breaker.state !== 'closed' ? 'breaker' : 'behind';
  }

  private recordDiffers(context: RunContext, failed: FailedRecord, at: string): string {
    this.recorder.failed(context, failed, at);
    const row = this.deps.db
      .prepare<[string, string], { id: string }>(
        'SELECT id FROM exceptions WHERE flow_id = ? AND source_id = ?',
      )
      .get(context.flowId, failed.source.sourceId);
    if (row === undefined) throw new Error('the exception of a differing fallback match was not stored');
    return row.id;
  }
}

function refusalMessage(failed: FailedRecord): string {
  return failed.stage === 'validate'
    ? `The entry breaks the flow's rules: ${failed.error.message} Nothing was stored.`
    : `The flow's mapping cannot map this entry: ${failed.error.message} Nothing was stored.`;
}
