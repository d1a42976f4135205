import type Database from 'better-sqlite3';
import type { ConnectionUsage } from '../../../shared/domain/connection-usage.js';
import type { Flow } from '../../../shared/domain/flow.js';
import { FlowsRepo } from '../../engine/store/flows-repo.js';

/** A flow as a usage of this connection, or null when it uses another one. */
function usageOf(flow: Flow, connectionId: string): ConnectionUsage | null {
  const roles: ('source' | 'target')[] = [];
  if (flow.sourceConnectionId === connectionId) roles.push('source');
  if (flow.targetConnectionId === connectionId) roles.push('target');
  if (roles.length === 0) return null;
  return { flowId: flow.id, flowName: flow.name, enabled: flow.enabled, roles };
}

/**
 * Every flow, enabled or not, that reads from or writes to the connection, by name. Unlike
 * flowUsagesOf (what Test connection checks rights for), this says which flows a delete would break.
 */
export function flowsUsingConnection(
  db: Database.Database,
  connectionId: string,
): { readonly usages: ConnectionUsage[]; readonly flows: Flow[] } {
  const usages: ConnectionUsage[] = [];
  const flows: Flow[] = [];
  for (const flow of new FlowsRepo(db).list()) {
    const usage = usageOf(flow, connectionId);
    if (usage === null) continue;
    usages.push(usage);
    flows.push(flow);
  }
  return { usages, flows };
}
