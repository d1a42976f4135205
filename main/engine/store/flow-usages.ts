import type Database from 'better-sqlite3';
import type { FlowUsage } from '../../connectors/flow-usage.js';
import { FlowsRepo } from './flows-repo.js';
import { MappingsRepo } from './mappings-repo.js';

/**
 * The flows that read from or write to one connection, with the mapping each writes with: what
 * "Test connection" derives the rights to check from. A flow whose mapping has no active version
 * yet is judged by its newest version, the one about to be approved.
 */
export function flowUsagesOf(db: Database.Database, connectionId: string): FlowUsage[] {
  const flows = new FlowsRepo(db);
  const mappings = new MappingsRepo(db);
  const usages: FlowUsage[] = [];
  for (const flow of flows.list()) {
    if (flow.sourceConnectionId === connectionId) {
      usages.push({ flowName: flow.name, role: 'source', settings: flow.sourceSelector, mapping: null });
    }
    if (flow.targetConnectionId === connectionId) {
      const mapping = mappings.get(flow.mappingId);
      const version =
        mappings.activeVersion(flow.mappingId) ??
        (mapping === null ? null : mappings.version(flow.mappingId, mapping.latestVersion));
      usages.push({
        flowName: flow.name,
        role: 'target',
        settings: flow.targetOperation,
        mapping: version?.spec ?? null,
      });
    }
  }
  return usages;
}
