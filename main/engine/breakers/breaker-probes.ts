import type Database from 'better-sqlite3';
import { testConnection } from '../../connectors/connection-testers.js';
import { flowUsagesOf } from '../store/flow-usages.js';
import type { ConnectionsRepo } from '../../repositories/connections-repo.js';
import type { SecretReader } from '../../vault/types.js';
import type { ConnectionBreakers } from './connection-breakers.js';

/** The answer of a probe: the connection's Test connection, in short. */
export interface ProbeResult {
  readonly ok: boolean;
  readonly summary: string;
}

export type ConnectionProbe = (connectionId: string) => Promise<ProbeResult>;

/**
 * The probe of an open breaker is the connection's own Test connection, the same check
 * `connections.test` runs (reachable, logs in, the rights its flows need): a peer that answers but
 * refuses the flows' writes is not "back".
 */
export function connectionTestProbe(
  db: Database.Database,
  connections: ConnectionsRepo,
  secrets: SecretReader,
): ConnectionProbe {
  return async (connectionId) => {
    const connection = connections.get(connectionId);
    if (!connection) return { ok: false, summary: 'The connection no longer exists.' };
    const flows = flowUsagesOf(db, connectionId);
    const result = await testConnection({ connection, secrets, flows });
    return { ok: result.ok, summary: result.summary };
  };
}

export interface ProbeRoundDeps {
  readonly breakers: ConnectionBreakers;
  readonly probe: ConnectionProbe;
  /** The flows whose runs stopped on this breaker: queued again (from their cursor) once it closes. */
  readonly requeue: (flowIds: readonly string[], connectionId: string) => void;
  readonly log?: ((message: string) => void) | undefined;
}

/**
 * One round of probes: every open breaker whose backoff has passed goes half-open and is tested once;
 * a pass closes it and queues the flows that waited, a failure opens it again with a longer backoff.
 * A probe that throws counts as failed (the test itself could not run).
 */
export async function probeDueBreakers(deps: ProbeRoundDeps): Promise<void> {
  for (const breaker of deps.breakers.takeDueProbes()) {
    let result: ProbeResult;
    try {
      result = await deps.probe(breaker.connectionId);
    } catch (error) {
      result = { ok: false, summary: error instanceof Error ? error.message : String(error) };
    }
    if (result.ok) {
      const flows = deps.breakers.probePassed(breaker.connectionId, result.summary);
      deps.log?.(`connection ${breaker.connectionId} answers again; resuming ${flows.length} flow(s)`);
      deps.requeue(flows, breaker.connectionId);
    } else {
      deps.breakers.probeFailed(breaker.connectionId, result.summary);
    }
  }
}
