import type Database from 'better-sqlite3';
import { MAPPING_FILE_FORMAT } from '../../../shared/domain/mapping.js';
import { ConnectionsRepo } from '../../repositories/connections-repo.js';
import { FlowsRepo } from '../store/flows-repo.js';
import { MappingsRepo } from '../store/mappings-repo.js';
import { CONFIG_FILE_FORMAT, type ConfigFile } from './config-file.js';

/** Reads connections, mappings and flows into the portable file shape (never a secret). */
export function exportConfig(db: Database.Database, now: Date = new Date()): ConfigFile {
  const connections = new ConnectionsRepo(db).list();
  const mappings = new MappingsRepo(db);
  const nameOfConnection = new Map(connections.map((c) => [c.id, c.name]));
  const mappingFiles = mappings.list().flatMap((summary) => {
    const mapping = mappings.get(summary.id);
    if (!mapping) return [];
    return [
      {
        format: MAPPING_FILE_FORMAT,
        name: mapping.name,
        description: mapping.description,
        versions: mapping.versions.map((v) => ({
          version: v.version,
          status: v.status,
          note: v.note,
          author: v.author,
          spec: v.spec,
        })),
      } as const,
    ];
  });
  const nameOfMapping = new Map(mappings.list().map((m) => [m.id, m.name]));
  const flows = new FlowsRepo(db).list().map((flow) => ({
    name: flow.name,
    description: flow.description,
    source: nameOfConnection.get(flow.sourceConnectionId) ?? '(deleted connection)',
    sourceSelector: flow.sourceSelector,
    target: nameOfConnection.get(flow.targetConnectionId) ?? '(deleted connection)',
    targetOperation: flow.targetOperation,
    mapping: nameOfMapping.get(flow.mappingId) ?? '(deleted mapping)',
    schedule: flow.schedule,
    batchSize: flow.batchSize,
    orderingKey: flow.orderingKey,
    freshnessObjectiveMinutes: flow.freshnessObjectiveMinutes,
    enabled: flow.enabled,
    // A flow's own retry policy travels with it; absent stays absent (the console default).
    ...(flow.autoRetry === undefined ? {} : { autoRetry: flow.autoRetry }),
    // So do its manual fallback settings (the form, match keys and roles of a downtime procedure).
    ...(flow.fallback === undefined ? {} : { fallback: flow.fallback }),
    // And its anomaly watch (issue 12: what is judged, the history needed, the threshold).
    ...(flow.anomaly === undefined ? {} : { anomaly: flow.anomaly }),
  }));
  return {
    format: CONFIG_FILE_FORMAT,
    exportedAt: now.toISOString(),
    connections: connections.map((c) => ({ name: c.name, settings: c.settings })),
    mappings: mappingFiles,
    flows,
  };
}
