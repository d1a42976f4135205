import type Database from 'better-sqlite3';
import type { DegradedMode } from '../../../shared/domain/outage.js';

interface Row {
  connection_id: string;
  reason: string;
  since: string;
  switched_by: string;
}

/**
 * Degraded mode per connection (migration 011), switched by an administrator. The serving side
 * writes it (outages.degrade / outages.restore); the engine reads it before every chunk it would send,
 * so a switch takes effect at the next batch of a running run, without telling the engine.
 */
export class DegradedModes {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[string], Row>('SELECT * FROM connection_degraded WHERE connection_id = ?'),
      all: db.prepare<[], Row>('SELECT * FROM connection_degraded ORDER BY since'),
      on: db.prepare(
        `INSERT INTO connection_degraded (connection_id, reason, since, switched_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (connection_id) DO UPDATE SET reason = excluded.reason, switched_by = excluded.switched_by`,
      ),
      off: db.prepare('DELETE FROM connection_degraded WHERE connection_id = ?'),
    };
  }

  get(connectionId: string): DegradedMode | null {
    const row = this.q.get.get(connectionId);
    return row === undefined ? null : toMode(row);
  }

  all(): DegradedMode[] {
    return this.q.all.all().map(toMode);
  }

  /** Switches it on (or, when already on, replaces the reason and keeps `since`). */
  switchOn(connectionId: string, reason: string, operatorId: string, at: Date = new Date()): DegradedMode {
    this.q.on.run(connectionId, reason, at.toISOString(), operatorId);
    const mode = this.get(connectionId);
    if (mode === null) throw new Error('degraded mode was not stored');
    return mode;
  }

  /** Switches it off; answers whether it was on. */
  switchOff(connectionId: string): boolean {
    return this.q.off.run(connectionId).changes > 0;
  }
}

function toMode(row: Row): DegradedMode {
  return {
    connectionId: row.connection_id,
    reason: row.reason,
    since: row.since,
    switchedBy: row.switched_by,
  };
}
