/**
 * Every place the store keeps a payload that retention may prune, and the rule that keeps the rows
 * somebody may still need. The rules are SQL over the row's own alias (`t`) so the pruner selects only
 * prunable rows and never loads a protected one.
 *
 * Never pruned, whatever their age:
 * - open, retrying and dead exceptions (UNSETTLED_EXCEPTION_STATES), and every copy of the same
 *   record's payload elsewhere (its run failures, its outbox rows) while such an exception exists:
 *   Mirth lost users' errors to a pruner that did not skip them;
 * - anything under an open reconciliation difference (a reconcile_differences row whose exception is
 *   still unsettled), matched by flow and source id or target key;
 * - outbox writes still waiting, or in an anomaly hold still held;
 * - webhook deliveries not delivered yet (pending, or dead and waiting for a person);
 * - inbound webhook bodies a flow reading that connection has not read past yet (its cursor).
 *
 * Left alone on purpose: fallback entries' values (each later version of the matched source record is
 * compared with them again, so a pruned one would open false differences), shadow records' field
 * differences (their report reads them as a typed list), hashes everywhere (payload_hash,
 * source_hash, body_sha256 are kept; the marker adds the pruned text's own sha256).
 */
export interface PayloadTarget {
  /** Table name, also the key of the counts in the audit row. */
  readonly table: string;
  /** The row's key column (rowid alias or text primary key). */
  readonly key: string;
  readonly columns: readonly string[];
  /** When the row stopped being live: compared with the cutoff (ISO text). */
  readonly settledAt: string;
  /** SQL over alias `t`: the row may be pruned. */
  readonly prunable: string;
  /**
   * Triggers that forbid any change of these columns (an exception's original record, an edit): the
   * one sanctioned change, pruning a settled row's payload, runs with them dropped and recreated from
   * their own stored SQL inside the same transaction, so no other connection ever sees them missing.
   */
  readonly guardTriggers?: readonly string[];
}

const UNSETTLED = "('open', 'retrying', 'dead')";

function unsettledExceptionFor(flow: string, source: string): string {
  return `EXISTS (SELECT 1 FROM exceptions x WHERE x.flow_id = ${flow} AND x.source_id = ${source}
    AND x.state IN ${UNSETTLED})`;
}

function openDifferenceFor(flow: string, source: string, targetKey: string | null): string {
  const byKey = targetKey === null ? '' : ` OR (d.target_key IS NOT NULL AND d.target_key = ${targetKey})`;
  return `EXISTS (SELECT 1 FROM reconcile_differences d JOIN exceptions x ON x.id = d.exception_id
    WHERE x.state IN ${UNSETTLED} AND d.flow_id = ${flow} AND (d.source_id = ${source}${byKey}))`;
}

export const PAYLOAD_TARGETS: readonly PayloadTarget[] = [
  {
    table: 'record_failures',
    key: 'id',
    columns: ['source_payload', 'mapped_payload'],
    settledAt: 't.at',
    prunable: `NOT ${unsettledExceptionFor('t.flow_id', 't.source_id')}
      AND NOT ${openDifferenceFor('t.flow_id', 't.source_id', 't.target_key')}`,
  },
  {
    table: 'exceptions',
    key: 'id',
    columns: ['source_payload', 'latest_source_payload', 'mapped_payload'],
    settledAt: 'coalesce(t.resolved_at, t.updated_at)',
    prunable: `t.state IN ('resolved', 'ignored')
      AND NOT ${openDifferenceFor('t.flow_id', 't.source_id', 't.target_key')}`,
    guardTriggers: ['exceptions_original_immutable'],
  },
  {
    table: 'exception_edits',
    key: 'id',
    columns: ['source_payload'],
    settledAt: 't.edited_at',
    prunable: `EXISTS (SELECT 1 FROM exceptions e WHERE e.id = t.exception_id AND e.state IN ('resolved', 'ignored')
      AND NOT ${openDifferenceFor('e.flow_id', 'e.source_id', 'e.target_key')})`,
    guardTriggers: ['exception_edits_immutable'],
  },
  {
    table: 'outbox_writes',
    key: 'seq',
    columns: ['source_json', 'payload_json'],
    settledAt: 't.settled_at',
    prunable: `t.state IN ('sent', 'unchanged', 'failed') AND t.settled_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM anomaly_holds h WHERE h.id = t.hold_id AND h.state = 'held')
      AND NOT ${unsettledExceptionFor('t.flow_id', 't.source_id')}
      AND NOT ${openDifferenceFor('t.flow_id', 't.source_id', 't.target_key')}`,
  },
  {
    table: 'inbound_events',
    key: 'seq',
    columns: ['body'],
    settledAt: 't.received_at',
    // Read by at least one flow, and every flow reading this connection is past it.
    prunable: `EXISTS (SELECT 1 FROM flows f WHERE json_extract(f.definition, '$.sourceConnectionId') = t.connection_id)
      AND NOT EXISTS (SELECT 1 FROM flows f WHERE json_extract(f.definition, '$.sourceConnectionId') = t.connection_id
        AND (f.cursor IS NULL OR f.cursor GLOB '*[^0-9]*' OR f.cursor = '' OR CAST(f.cursor AS INTEGER) < t.seq))`,
  },
  {
    table: 'webhook_deliveries',
    key: 'id',
    columns: ['body'],
    settledAt: 'coalesce(t.delivered_at, t.created_at)',
    prunable: `t.status = 'delivered'`,
  },
];
