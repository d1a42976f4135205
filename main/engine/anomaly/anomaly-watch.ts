import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { FlowAnomaly } from '../../../shared/domain/flow-anomaly.js';
import type { RunContext } from '../store/batch-commit.js';
import { explain, judge, markersOf, type Judgement } from './anomaly-judge.js';
import { AnomalyStore, newHoldId } from './anomaly-store.js';

export type BatchVerdict =
  | { readonly verdict: 'empty' }
  | { readonly verdict: 'normal' | 'unjudged'; readonly volume: number }
  | {
      readonly verdict: 'held';
      readonly volume: number;
      readonly holdId: string;
      readonly explanation: string;
    };

/**
 * Judges a run's batch once it has read everything: its writes were staged in the outbox (none
 * posted yet), so a batch is the run's whole output, not one page of it (a page never exceeds the
 * flow's batch size, so a 10× volume would hide in ten normal-looking pages). In one transaction:
 * the batch's statistics are recorded (history for the next batches), and an anomalous batch
 * becomes a hold its writes are attached to. A run that staged nothing is no batch: idle runs every
 * few minutes would otherwise drown the history in zeros.
 */
export function judgeStagedBatch(
  db: Database.Database,
  context: RunContext,
  settings: FlowAnomaly,
  now: Date,
): BatchVerdict {
  const store = new AnomalyStore(db);
  const decide = db.transaction((): BatchVerdict => {
    const staged = store.staged(context.runId, context.flowId);
    const first = staged[0];
    if (first === undefined) return { verdict: 'empty' };
    const volume = staged.length;
    const amount = settings.amountField === undefined ? null : sumOf(staged, settings.amountField.split('.'));
    const markers = markersOf(now);
    const history = store.history(context.flowId);
    const judgeSettings = { minHistory: settings.minHistory, threshold: settings.threshold };
    const measures: [number, string, Judgement][] = [
      [volume, 'records', judge(volume, markers, history.volume, judgeSettings)],
    ];
    if (amount !== null && settings.amountField !== undefined) {
      measures.push([amount, settings.amountField, judge(amount, markers, history.amount, judgeSettings)]);
    }
    const anomalies = measures.flatMap(([value, unit, judgement]) =>
      judgement.judged && judgement.anomalous ? [explain(value, unit, markers, judgement)] : [],
    );
    const judged = measures.some(([, , judgement]) => judgement.judged);
    const at = now.toISOString();
    const batch = { flowId: context.flowId, runId: context.runId, at, ...markers, volume, amount };
    if (anomalies.length === 0) {
      const verdict = judged ? 'normal' : 'unjudged';
      store.addBatch({ ...batch, verdict, holdId: null });
      return { verdict, volume };
    }
    const holdId = newHoldId();
    const explanation = anomalies.join('; ');
    store.hold({
      id: holdId,
      flowId: context.flowId,
      runId: context.runId,
      at,
      explanation,
      size: volume,
      firstSeq: first.seq,
      contextJson: JSON.stringify(context),
    });
    store.addBatch({ ...batch, verdict: 'held', holdId });
    return { verdict: 'held', volume, holdId, explanation };
  });
  return decide.immediate();
}

/**
 * The sum of a numeric field over the staged payloads; a missing or non-numeric value counts 0. A
 * list on the path is summed over its items: `invoice_line_ids.price_unit` adds every line's price.
 */
export function sumOf(staged: readonly { payload_json: string }[], path: readonly string[]): number {
  let sum = 0;
  for (const write of staged) sum += sumAt(JSON.parse(write.payload_json), path);
  return sum;
}

function sumAt(value: unknown, path: readonly string[]): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item: unknown) => sum + sumAt(item, path), 0);
  const [segment, ...rest] = path;
  if (segment === undefined) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      return Number(value);
    return 0;
  }
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return 0;
  return sumAt((value as Record<string, unknown>)[segment], rest);
}

/**
 * The pipeline's `judgeBatch` for a run of a flow that watches anomalies: judges the staged batch,
 * tells the consoles of a hold, and answers whether the batch may be sent now.
 */
export function batchJudge(
  db: Database.Database,
  context: RunContext,
  settings: FlowAnomaly,
  now: () => Date,
  emit: (event: LiveEvent) => void,
  log?: (message: string) => void,
): () => 'send' | 'hold' {
  return () => {
    const result = judgeStagedBatch(db, context, settings, now());
    if (result.verdict !== 'held') return 'send';
    log?.(`run ${context.runId}: batch held as anomalous (${result.explanation})`);
    emit({ type: 'holds.changed', change: 'held', holdId: result.holdId, flowId: context.flowId });
    return 'hold';
  };
}

/**
 * The pipeline's `judgeLeftBatches`, run before a watched flow's run sends anything from the outbox:
 * writes an earlier run staged but never judged (the engine was killed between staging and judging,
 * or the run failed or was cancelled after staging some pages) are judged first, each run's as its
 * own batch, so a resumed drain cannot post them unjudged. A held one becomes a barrier like any
 * hold. Writes that waited in the outbox before the flow had a watch are judged the same way.
 */
export function leftBatchJudge(
  db: Database.Database,
  context: RunContext,
  settings: FlowAnomaly,
  now: () => Date,
  emit: (event: LiveEvent) => void,
  log?: (message: string) => void,
): () => void {
  return () => {
    for (const left of new AnomalyStore(db).unjudgedRuns(context.flowId, context.runId)) {
      const leftContext: RunContext = {
        ...context,
        runId: left.run_id,
        mappingId: left.mapping_id,
        mappingVersion: left.mapping_version,
      };
      const result = judgeStagedBatch(db, leftContext, settings, now());
      log?.(
        `run ${context.runId}: writes staged by run ${left.run_id} and left unjudged judged: ${result.verdict}`,
      );
      if (result.verdict !== 'held') continue;
      emit({ type: 'holds.changed', change: 'held', holdId: result.holdId, flowId: context.flowId });
    }
  };
}
