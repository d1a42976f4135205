import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { RunTrigger } from '../../../shared/domain/run.js';
import { ConnectionCredentialsRepo } from '../../repositories/connection-credentials-repo.js';
import type { CredentialsRefused } from './credential-guard.js';

/** Runs that start by themselves; a person's Run now or backfill still goes (it is the way to try). */
const UNATTENDED: readonly RunTrigger[] = ['schedule', 'realtime'];

/**
 * Connections whose stored credentials a peer refused during a run. Recording one writes the refusal
 * and its audit row in one transaction (the row reaches the hash-chained log with the run's next
 * flush) and tells the consoles; while it stands, scheduled and real-time runs of the flows that use
 * the connection are not started, so an expired key costs one failed run, not one per schedule tick.
 */
export class CredentialHolds {
  private readonly credentials: ConnectionCredentialsRepo;
  private readonly record_;

  constructor(
    db: Database.Database,
    private readonly emit: (event: LiveEvent) => void,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.credentials = new ConnectionCredentialsRepo(db);
    const outbox = db.prepare(
      'INSERT INTO engine_audit_outbox (action, target, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.record_ = db.transaction((refused: CredentialsRefused, runId: string, at: string) => {
      this.credentials.recordRefusal(refused.connectionId, {
        at,
        code: refused.code,
        message: refused.message,
      });
      // The run's id as target: unique per refusal, so a replay after a crash is recognised.
      const detail = { connectionId: refused.connectionId, role: refused.role, code: refused.code };
      outbox.run('connection.credentials-refused', runId, 'error', JSON.stringify(detail), at);
    });
  }

  record(refused: CredentialsRefused, runId: string): void {
    this.record_(refused, runId, this.now().toISOString());
    this.emit({ type: 'connections.changed', id: refused.connectionId, change: 'credentials' });
  }

  /** Why this trigger may not start a run of the flow now, or null when it may. */
  refusalFor(flow: Flow, trigger: RunTrigger): string | null {
    if (!UNATTENDED.includes(trigger)) return null;
    for (const connectionId of [flow.sourceConnectionId, flow.targetConnectionId]) {
      const message = this.credentials.refusal(connectionId);
      if (message !== null) {
        return `Not started: a connection of this flow refused its login or rights (${message}). Replace the secret or grant the rights, then run Test connection.`;
      }
    }
    return null;
  }
}
