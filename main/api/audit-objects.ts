import type Database from 'better-sqlite3';
import type { AuditEntry, AuditObject } from '../../shared/domain/audit.js';

/** Detail keys that hold the id of something the console knows by name. */
const ID_KEYS = new Set([
  'id',
  'username',
  'run',
  'flow',
  'mapping',
  'exception',
  'connection',
  'checkpoint',
]);
const MAX_IDS = 2000;
const MAX_ID_CHARS = 200;
/** How many ids one object search text may stand for (per kind): a filter, not a listing. */
const MAX_NAMED_MATCHES = 50;

/**
 * Names for the ids a page of audit rows mentions: the target, the operator, and detail values under
 * id-like keys (id, flowId, runId, …). Every lookup is one bounded query per kind over the page's ids
 * (bound as one JSON array), never a query per row or a scan of a whole table.
 */
export function createAuditObjectResolver(db: Database.Database) {
  const checkpointsTable =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_checkpoints'").get() !==
    undefined;
  const q = {
    connections: db.prepare<[string], { id: string; name: string }>(
      'SELECT id, name FROM connections WHERE id IN (SELECT value FROM json_each(?))',
    ),
    flows: db.prepare<[string], { id: string; name: string }>(
      'SELECT id, name FROM flows WHERE id IN (SELECT value FROM json_each(?))',
    ),
    mappings: db.prepare<[string], { id: string; name: string; version: number | null }>(
      `SELECT m.id, m.name, (SELECT max(version) FROM mapping_versions v WHERE v.mapping_id = m.id) AS version
       FROM mappings m WHERE m.id IN (SELECT value FROM json_each(?))`,
    ),
    operators: db.prepare<[string], { id: string; name: string }>(
      'SELECT username AS id, display_name AS name FROM operators WHERE username IN (SELECT value FROM json_each(?))',
    ),
    exceptions: db.prepare<
      [string],
      { id: string; flow_id: string; flow_name: string | null; source_type: string; source_id: string }
    >(
      `SELECT e.id, e.flow_id, f.name AS flow_name, e.source_type, e.source_id
       FROM exceptions e LEFT JOIN flows f ON f.id = e.flow_id WHERE e.id IN (SELECT value FROM json_each(?))`,
    ),
    runs: db.prepare<
      [string],
      { id: string; flow_name: string | null; started_at: string | null; queued_at: string }
    >(
      `SELECT r.id, f.name AS flow_name, r.started_at, r.queued_at
       FROM runs r LEFT JOIN flows f ON f.id = r.flow_id WHERE r.id IN (SELECT value FROM json_each(?))`,
    ),
    checkpoints: checkpointsTable
      ? db.prepare<[string], { id: number; seq: number; at: string }>(
          'SELECT id, seq, at FROM audit_checkpoints WHERE id IN (SELECT value FROM json_each(?))',
        )
      : null,
  };
  const named = {
    connections: db.prepare<[string, number], { id: string }>(
      'SELECT id FROM connections WHERE instr(lower(name), lower(?)) > 0 LIMIT ?',
    ),
    flows: db.prepare<[string, number], { id: string }>(
      'SELECT id FROM flows WHERE instr(lower(name), lower(?)) > 0 LIMIT ?',
    ),
    mappings: db.prepare<[string, number], { id: string }>(
      'SELECT id FROM mappings WHERE instr(lower(name), lower(?)) > 0 LIMIT ?',
    ),
    // The display name or the username, joined by a NUL so no match spans the two.
    operators: db.prepare<[string, number], { id: string }>(
      `SELECT username AS id FROM operators
       WHERE instr(lower(display_name) || char(0) || lower(username), lower(?)) > 0 LIMIT ?`,
    ),
  };

  /** Names of every id the rows mention; ids nobody knows are left out. */
  function resolve(entries: readonly AuditEntry[]): Record<string, AuditObject> {
    const ids = new Set<string>();
    const checkpointIds = new Set<number>();
    const add = (value: unknown) => {
      if (ids.size >= MAX_IDS) return;
      if (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_CHARS) ids.add(value);
    };
    const checkpointTargets = new Map<number, string>();
    for (const entry of entries) {
      add(entry.target);
      // `osc audit-checkpoint` names its checkpoint as the target 'checkpoint:<id>'.
      const cli = entry.target === null ? null : /^checkpoint:(\d{1,15})$/.exec(entry.target);
      if (cli?.[1] !== undefined && entry.target !== null) {
        checkpointIds.add(Number(cli[1]));
        checkpointTargets.set(Number(cli[1]), entry.target);
      }
      add(entry.actor);
      for (const [key, value] of detailEntries(entry.detail)) {
        if (entry.action.startsWith('audit.checkpoint') && key === 'id' && Number.isSafeInteger(value)) {
          checkpointIds.add(value as number);
        } else if (key === 'checkpointId' && Number.isSafeInteger(value)) {
          checkpointIds.add(value as number);
        } else if (ID_KEYS.has(key) || key.endsWith('Id')) {
          add(value);
        } else if (key.endsWith('Ids') && Array.isArray(value)) {
          value.forEach(add);
        }
      }
    }
    const objects: Record<string, AuditObject> = {};
    const json = JSON.stringify([...ids]);
    // Most specific first: an id that is both (it never is: they are UUIDs) keeps the first kind.
    const put = (id: string, object: AuditObject) => {
      objects[id] ??= object;
    };
    for (const row of q.exceptions.all(json)) {
      put(row.id, {
        kind: 'exception',
        name: `${row.flow_name ?? row.flow_id}: ${sourceLabel(row.source_type, row.source_id)}`,
        lineage: { sourceId: row.source_id, sourceType: row.source_type, flowId: row.flow_id },
      });
    }
    for (const row of q.runs.all(json)) {
      put(row.id, {
        kind: 'run',
        name: `${row.flow_name ?? 'run'} run at ${row.started_at ?? row.queued_at}`,
      });
    }
    for (const row of q.flows.all(json)) put(row.id, { kind: 'flow', name: row.name });
    for (const row of q.mappings.all(json)) {
      put(row.id, {
        kind: 'mapping',
        name: row.version === null ? row.name : `${row.name} (v${row.version})`,
      });
    }
    for (const row of q.connections.all(json)) put(row.id, { kind: 'connection', name: row.name });
    for (const row of q.operators.all(json)) put(row.id, { kind: 'operator', name: row.name });
    if (q.checkpoints !== null && checkpointIds.size > 0) {
      for (const row of q.checkpoints.all(JSON.stringify([...checkpointIds]))) {
        const object = {
          kind: 'checkpoint',
          name: `Checkpoint ${row.id} (row #${row.seq}, ${row.at})`,
        } as const;
        put(String(row.id), object);
        const target = checkpointTargets.get(row.id);
        if (target !== undefined) put(target, object);
      }
    }
    return objects;
  }

  /** The ids an object search stands for: the text itself plus the ids whose names contain it. */
  function idsNamed(text: string): string[] {
    const ids = new Set<string>([text]);
    for (const statement of Object.values(named)) {
      for (const row of statement.all(text, MAX_NAMED_MATCHES)) ids.add(row.id);
    }
    return [...ids];
  }

  return { resolve, idsNamed };
}

export type AuditObjectResolver = ReturnType<typeof createAuditObjectResolver>;

/** The top-level entries of a row's detail (canonical JSON of an object); nothing for anything else. */
function detailEntries(detail: string): [string, unknown][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return [];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  return Object.entries(parsed);
}

/** 'SupplyDelivery/x' already says its type (FHIR ids do); a bare CSV row id gets its type in front. */
function sourceLabel(sourceType: string, sourceId: string): string {
  return sourceId.startsWith(`${sourceType}/`) ? sourceId : `${sourceType} ${sourceId}`;
}
