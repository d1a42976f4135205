import type Database from 'better-sqlite3';
import {
  flowDefinitionSchema,
  type Flow,
  type FlowDefinition,
  type FlowState,
} from '../../../shared/domain/flow.js';
import { newId } from './engine-ids.js';

interface FlowRow {
  id: string;
  name: string;
  definition: string;
  enabled: number;
  cursor: string | null;
  last_run_id: string | null;
  last_success_at: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  run_status: string | null;
}

const SELECT = `SELECT f.*, (SELECT status FROM runs r WHERE r.flow_id = f.id AND r.status IN ('queued', 'running', 'paused')
  ORDER BY r.queued_at DESC LIMIT 1) AS run_status FROM flows f`;

function stateOf(row: FlowRow): FlowState {
  if (row.run_status === 'running' || row.run_status === 'queued') return 'running';
  if (row.run_status === 'paused') return 'paused';
  return row.enabled === 1 ? 'idle' : 'disabled';
}

function toFlow(row: FlowRow): Flow {
  // Parsed again on the way out: a row edited outside the console must not reach a connector as is.
  const definition = flowDefinitionSchema.parse({
    ...(JSON.parse(row.definition) as object),
    name: row.name,
  });
  return {
    ...definition,
    enabled: row.enabled === 1,
    id: row.id,
    state: stateOf(row),
    cursor: row.cursor,
    lastRunId: row.last_run_id,
    lastSuccessAt: row.last_success_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** Flows, their committed cursor and the lease that stops two engines running one flow at once. */
export class FlowsRepo {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.q = {
      list: db.prepare<[], FlowRow>(`${SELECT} ORDER BY f.name`),
      get: db.prepare<[string], FlowRow>(`${SELECT} WHERE f.id = ?`),
      byName: db.prepare<[string], { id: string }>('SELECT id FROM flows WHERE name = ?'),
      insert: db.prepare(
        `INSERT INTO flows (id, name, definition, enabled, created_at, created_by, updated_at, updated_by)
         VALUES (@id, @name, @definition, @enabled, @now, @by, @now, @by)`,
      ),
      update: db.prepare(
        `UPDATE flows SET name = @name, definition = @definition, enabled = @enabled, updated_at = @now, updated_by = @by
         WHERE id = @id`,
      ),
      setEnabled: db.prepare('UPDATE flows SET enabled = ?, updated_at = ?, updated_by = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM flows WHERE id = ?'),
      setCursor: db.prepare('UPDATE flows SET cursor = ?, cursor_at = ? WHERE id = ?'),
      setLastRun: db.prepare('UPDATE flows SET last_run_id = ? WHERE id = ?'),
      setSuccess: db.prepare('UPDATE flows SET last_success_at = ? WHERE id = ?'),
      claim: db.prepare(
        `UPDATE flows SET lease_owner = @owner, lease_until = @until WHERE id = @id
         AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until < @now OR lease_owner IN (SELECT value FROM json_each(@dead)))`,
      ),
      release: db.prepare(
        'UPDATE flows SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?',
      ),
      owners: db.prepare<[], { lease_owner: string }>(
        'SELECT DISTINCT lease_owner FROM flows WHERE lease_owner IS NOT NULL',
      ),
    };
  }

  list(): Flow[] {
    return this.q.list.all().map(toFlow);
  }

  get(id: string): Flow | null {
    const row = this.q.get.get(id);
    return row ? toFlow(row) : null;
  }

  idByName(name: string): string | null {
    return this.q.byName.get(name)?.id ?? null;
  }

  insert(definition: FlowDefinition, by: string): Flow {
    const id = newId('flow');
    const { name, enabled, ...rest } = definition;
    this.q.insert.run({
      id,
      name,
      definition: JSON.stringify(rest),
      enabled: enabled ? 1 : 0,
      now: this.stamp(),
      by,
    });
    const created = this.get(id);
    if (!created) throw new Error('flow vanished after insert');
    return created;
  }

  update(id: string, definition: FlowDefinition, by: string): Flow | null {
    const { name, enabled, ...rest } = definition;
    const changes = this.q.update.run({
      id,
      name,
      definition: JSON.stringify(rest),
      enabled: enabled ? 1 : 0,
      now: this.stamp(),
      by,
    }).changes;
    return changes === 1 ? this.get(id) : null;
  }

  setEnabled(id: string, enabled: boolean, by: string): Flow | null {
    const changes = this.q.setEnabled.run(enabled ? 1 : 0, this.stamp(), by, id).changes;
    return changes === 1 ? this.get(id) : null;
  }

  delete(id: string): boolean {
    return this.q.delete.run(id).changes === 1;
  }

  /** Called inside the batch transaction: the cursor moves only together with the batch's outcome. */
  setCursor(id: string, cursor: string | null): void {
    this.q.setCursor.run(cursor, this.stamp(), id);
  }

  setLastRun(id: string, runId: string): void {
    this.q.setLastRun.run(runId, id);
  }

  markSuccess(id: string, at: string): void {
    this.q.setSuccess.run(at, id);
  }

  /**
   * Claims the flow for one engine. A claim is free when nobody holds it, its holder let it expire,
   * or its holder is known dead (a worker that crashed, a process that is gone).
   */
  claim(id: string, owner: string, leaseMs: number, deadOwners: readonly string[]): boolean {
    const now = this.now();
    return (
      this.q.claim.run({
        id,
        owner,
        until: new Date(now.getTime() + leaseMs).toISOString(),
        now: now.toISOString(),
        dead: JSON.stringify(deadOwners),
      }).changes === 1
    );
  }

  release(id: string, owner: string): void {
    this.q.release.run(id, owner);
  }

  leaseOwners(): string[] {
    return this.q.owners.all().map((row) => row.lease_owner);
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}
