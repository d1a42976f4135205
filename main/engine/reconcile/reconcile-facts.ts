import jsonata from 'jsonata';
import type Database from 'better-sqlite3';
import type { FlowReconcile } from '../../../shared/domain/flow-reconcile.js';
import type { SourceRef } from '../store/batch-commit.js';

/**
 * The console's ledger of what the source said and what it wrote (issue 12): for a flow that
 * reconciles, each write that went through leaves one fact per target key — its source record, the
 * Odoo id, the period date and amount its mapped payload gives — upserted in the transaction that
 * commits the write's lineage (batch-commit.ts). A reconciliation sums these per period with one
 * indexed query instead of asking anybody record by record.
 */

export interface ReconcileFact {
  readonly targetKey: string;
  readonly targetId: string;
  readonly sourceType: string;
  readonly sourceId: string;
  /** YYYY-MM-DD: the day the payload's date falls on (null: the payload gave none). */
  readonly periodDate: string | null;
  readonly amount: number | null;
  /** The payload's value for the flow's key field (what Odoo holds in `keyField`). */
  readonly keyValue: string | null;
  readonly payloadHash: string;
}

/** A write that went through, with the payload it sent. */
export interface WrittenRecord {
  readonly key: string;
  readonly targetId: string;
  readonly source: SourceRef;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly payloadHash: string;
}

export type FactsOf = (written: readonly WrittenRecord[]) => Promise<readonly ReconcileFact[]>;

/** "2026-01-05", "2026-01-05T10:00:00Z", "2026-01-05 10:00:00" → "2026-01-05"; anything else null. */
export function dayOf(value: unknown): string | null {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

/** Compiled once per run: the flow's payload expressions (JSONata; a dot path is JSONata too). */
export function factsExtractor(settings: FlowReconcile): FactsOf {
  const date = jsonata(settings.payloadDate, { timeout: 1000, stack: 200 });
  const amount =
    settings.payloadAmount === undefined
      ? null
      : jsonata(settings.payloadAmount, { timeout: 1000, stack: 200 });
  const keyField = settings.keyField;
  return async (written) => {
    const facts: ReconcileFact[] = [];
    for (const record of written) {
      const keyValue = keyField === undefined ? undefined : record.payload[keyField];
      facts.push({
        targetKey: record.key,
        targetId: record.targetId,
        sourceType: record.source.type,
        sourceId: record.source.sourceId,
        // A payload that does not give a date or an amount is a fact all the same (counted nowhere
        // by period): the mapping, not the ledger, is what would be wrong.
        periodDate: dayOf(await date.evaluate(record.payload).catch(() => null)),
        amount: amount === null ? null : numberOf(await amount.evaluate(record.payload).catch(() => null)),
        keyValue: typeof keyValue === 'string' || typeof keyValue === 'number' ? String(keyValue) : null,
        payloadHash: record.payloadHash,
      });
    }
    return facts;
  };
}

/** The upsert run inside the batch transaction (a prepared statement: it runs per written record). */
export function factsWriter(
  db: Database.Database,
): (flowId: string, facts: readonly ReconcileFact[], at: string) => void {
  const upsert = db.prepare(
    `INSERT INTO reconcile_facts (flow_id, target_key, target_id, source_type, source_id, period_date, amount,
       key_value, payload_hash, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (flow_id, target_key) DO UPDATE SET target_id = excluded.target_id,
       source_type = excluded.source_type, source_id = excluded.source_id, period_date = excluded.period_date,
       amount = excluded.amount, key_value = excluded.key_value, payload_hash = excluded.payload_hash,
       written_at = excluded.written_at`,
  );
  return (flowId, facts, at) => {
    for (const fact of facts)
      upsert.run(
        flowId,
        fact.targetKey,
        fact.targetId,
        fact.sourceType,
        fact.sourceId,
        fact.periodDate,
        fact.amount,
        fact.keyValue,
        fact.payloadHash,
        at,
      );
  };
}
