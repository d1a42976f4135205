import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { RunTrigger } from '../../../shared/domain/run.js';
import {
  DEFAULT_BREAKER_POLICY,
  opensAfterFailure,
  probeDelayMs,
  type BreakerPolicy,
} from './breaker-policy.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerRow {
  readonly connectionId: string;
  readonly state: BreakerState;
  readonly since: string;
  readonly failures: number;
  readonly failedProbes: number;
  readonly lastError: string | null;
  readonly nextProbeAt: string | null;
}

const UNATTENDED: readonly RunTrigger[] = ['schedule', 'realtime'];

/**
 * The breakers of the connections, kept in SQLite (migration 010). Each transition writes the new
 * state, a history row and an audit row (through the engine's audit outbox, published with its next
 * flush) in one transaction, and tells the consoles. Callers: the guards around a run's source and
 * target (failures and successes of whole calls), the engine's enqueue (unattended runs wait while
 * open) and the prober (half-open → closed or back to open).
 */
export class ConnectionBreakers {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly emit: (event: LiveEvent) => void,
    private readonly policyFor: (connectionId: string) => BreakerPolicy = () => DEFAULT_BREAKER_POLICY,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.q = {
      get: db.prepare<[string], Row>('SELECT * FROM connection_breakers WHERE connection_id = ?'),
      all: db.prepare<[], Row>('SELECT * FROM connection_breakers ORDER BY connection_id'),
      upsert: db.prepare(
        `INSERT INTO connection_breakers (connection_id, state, since, failures, failed_probes, last_error, next_probe_at)
         VALUES (@connectionId, @state, @since, @failures, @failedProbes, @lastError, @nextProbeAt)
         ON CONFLICT (connection_id) DO UPDATE SET state = excluded.state, since = excluded.since,
           failures = excluded.failures, failed_probes = excluded.failed_probes,
           last_error = excluded.last_error, next_probe_at = excluded.next_probe_at`,
      ),
      transition: db.prepare(
        'INSERT INTO connection_breaker_transitions (connection_id, from_state, to_state, at, reason) VALUES (?, ?, ?, ?, ?)',
      ),
      audit: db.prepare(
        'INSERT INTO engine_audit_outbox (action, target, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      due: db.prepare<[string], Row>(
        "SELECT * FROM connection_breakers WHERE state IN ('open', 'half-open') AND next_probe_at <= ? ORDER BY next_probe_at",
      ),
      wait: db.prepare(
        'INSERT OR REPLACE INTO connection_breaker_waits (flow_id, connection_id, run_id) VALUES (?, ?, ?)',
      ),
      waiting: db.prepare<[string], { flow_id: string }>(
        'SELECT flow_id FROM connection_breaker_waits WHERE connection_id = ? ORDER BY flow_id',
      ),
      endWaits: db.prepare('DELETE FROM connection_breaker_waits WHERE connection_id = ?'),
    };
  }

  get(connectionId: string): BreakerRow {
    const row = this.q.get.get(connectionId);
    if (row) return fromRow(row);
    return {
      connectionId,
      state: 'closed',
      since: '',
      failures: 0,
      failedProbes: 0,
      lastError: null,
      nextProbeAt: null,
    };
  }

  all(): BreakerRow[] {
    return this.q.all.all().map(fromRow);
  }

  /** A whole call got an answer: the count of consecutive failures starts again. */
  succeeded(connectionId: string): void {
    const current = this.get(connectionId);
    if (current.state === 'closed' && current.failures > 0) this.q.upsert.run({ ...current, failures: 0 });
  }

  /** A whole call failed transiently; answers whether the breaker is open now. */
  failed(connectionId: string, error: string): boolean {
    const current = this.get(connectionId);
    if (current.state !== 'closed') return true;
    const at = this.now();
    if (!opensAfterFailure(this.policyFor(connectionId), current.failures)) {
      this.q.upsert.run({
        ...current,
        since: current.since || at.toISOString(),
        failures: current.failures + 1,
        lastError: error,
      });
      return false;
    }
    this.move(current, 'open', at, error, {
      failures: current.failures + 1,
      failedProbes: 0,
      lastError: error,
    });
    return true;
  }

  isOpen(connectionId: string): boolean {
    return this.get(connectionId).state !== 'closed';
  }

  /** A run of `flowId` stopped because this connection's breaker is open: queue it again on close. */
  waitFor(flowId: string, connectionId: string, runId: string): void {
    this.q.wait.run(flowId, connectionId, runId);
  }

  /** The flows waiting on this connection, their waits ended (degraded mode switched off). */
  endWaitsOf(connectionId: string): string[] {
    if (this.isOpen(connectionId)) return [];
    const flows = this.q.waiting.all(connectionId).map((row) => row.flow_id);
    this.q.endWaits.run(connectionId);
    return flows;
  }

  /**
   * Open breakers whose next probe is due, moved to half-open (one probe each). The engine runs one
   * round at a time, so a probe in progress is not taken twice.
   */
  takeDueProbes(): BreakerRow[] {
    const at = this.now();
    return this.q.due.all(at.toISOString()).map((row) => {
      const current = fromRow(row);
      this.move(current, 'half-open', at, 'probing with the connection test', {});
      return this.get(current.connectionId);
    });
  }

  /** The probe passed: closed; answers the flows that waited for it (their waits are ended). */
  probePassed(connectionId: string, summary: string): string[] {
    const current = this.get(connectionId);
    const flows = this.q.waiting.all(connectionId).map((row) => row.flow_id);
    this.db.transaction(() => {
      this.move(current, 'closed', this.now(), summary, { failures: 0, failedProbes: 0, lastError: null });
      this.q.endWaits.run(connectionId);
    })();
    return flows;
  }

  /** The probe failed: open again, the next probe later than the last. */
  probeFailed(connectionId: string, error: string): void {
    const current = this.get(connectionId);
    this.move(current, 'open', this.now(), error, {
      failedProbes: current.failedProbes + 1,
      lastError: error,
    });
  }

  /** Why this trigger may not start a run of the flow now, or null when it may. */
  refusalFor(flow: Flow, trigger: RunTrigger, name: (connectionId: string) => string): string | null {
    if (!UNATTENDED.includes(trigger)) return null;
    for (const connectionId of [flow.sourceConnectionId, flow.targetConnectionId]) {
      const breaker = this.get(connectionId);
      if (breaker.state !== 'closed') return downMessage(name(connectionId), breaker.since, 'Not started');
    }
    return null;
  }

  private move(
    current: BreakerRow,
    to: BreakerState,
    at: Date,
    reason: string,
    changes: Partial<Pick<BreakerRow, 'failures' | 'failedProbes' | 'lastError'>>,
  ): void {
    const iso = at.toISOString();
    const failedProbes = changes.failedProbes ?? current.failedProbes;
    const next: BreakerRow = {
      ...current,
      ...changes,
      state: to,
      // Down since the breaker opened: a probe (half-open) or a failed probe does not move it.
      since: to === 'closed' || current.state === 'closed' ? iso : current.since,
      // Half-open keeps a probe time too: a probe cut short by a crash is taken again after it.
      nextProbeAt:
        to !== 'closed'
          ? new Date(
              at.getTime() + probeDelayMs(this.policyFor(current.connectionId), failedProbes),
            ).toISOString()
          : null,
    };
    this.db.transaction(() => {
      this.q.upsert.run(next);
      const transition = this.q.transition.run(current.connectionId, current.state, to, iso, reason);
      // A unique target per transition (its history row), so the outbox's crash recovery recognises
      // a row that reached the log before a crash.
      const detail = {
        connectionId: current.connectionId,
        from: current.state,
        to,
        reason: reason.slice(0, 300),
      };
      this.q.audit.run(
        `connection.breaker-${to}`,
        `${current.connectionId}#${String(transition.lastInsertRowid)}`,
        to === 'closed' ? 'ok' : 'error',
        JSON.stringify(detail),
        iso,
      );
    })();
    this.emit({ type: 'connections.changed', id: current.connectionId, change: 'breaker' });
  }
}

/** "Odoo has been down since 03:41:07 UTC; …": what a stopped run and a refused schedule say. */
export function downMessage(connection: string, since: string, what: 'Not started' | 'Stopped'): string {
  const when = since === '' ? 'just now' : `${since.slice(11, 19)} UTC (${since.slice(0, 10)})`;
  return what === 'Stopped'
    ? `${connection} has been down since ${when}; the run stopped after its last saved batch and goes on when it answers again.`
    : `Not started: ${connection} has been down since ${when}; the flow goes on when it answers again.`;
}

interface Row {
  connection_id: string;
  state: BreakerState;
  since: string;
  failures: number;
  failed_probes: number;
  last_error: string | null;
  next_probe_at: string | null;
}

function fromRow(row: Row): BreakerRow {
  return {
    connectionId: row.connection_id,
    state: row.state,
    since: row.since,
    failures: row.failures,
    failedProbes: row.failed_probes,
    lastError: row.last_error,
    nextProbeAt: row.next_probe_at,
  };
}
