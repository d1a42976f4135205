import type Database from 'better-sqlite3';

/**
 * What the target already holds for some keys of a flow, from `target_state`: the payload hash last
 * written (a record mapping to the same payload is skipped as unchanged) and the target's id (a known
 * record is updated by id). One query per page of keys.
 */
export function targetStateReads(db: Database.Database): {
  writtenHashes: (flowId: string, keys: readonly string[]) => Map<string, string>;
  knownTargetIds: (flowId: string, keys: readonly string[]) => Map<string, string>;
} {
  const query = db.prepare<[string, string], { target_key: string; payload_hash: string; target_id: string }>(
    'SELECT target_key, payload_hash, target_id FROM target_state WHERE flow_id = ? AND target_key IN (SELECT value FROM json_each(?))',
  );
  return {
    writtenHashes: (flowId, keys) =>
      new Map(query.all(flowId, JSON.stringify(keys)).map((row) => [row.target_key, row.payload_hash])),
    knownTargetIds: (flowId, keys) =>
      new Map(query.all(flowId, JSON.stringify(keys)).map((row) => [row.target_key, row.target_id])),
  };
}
