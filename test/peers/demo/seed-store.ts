import { flowDefinitionSchema, type Flow, type FlowDefinitionInput } from '../../../shared/domain/flow.js';
import { mappingSpecSchema, type MappingSpecInput } from '../../../shared/domain/mapping.js';
import type { ConnectionSettings } from '../../../shared/domain/connection.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { MappingsRepo } from '../../../main/engine/store/mappings-repo.js';
import { ConnectionsRepo } from '../../../main/repositories/connections-repo.js';
import { openStore } from '../../../main/store/open-store.js';

/**
 * Seeds a store straight through the repositories, without the API or a keychain: for benchmarks
 * and the engine-worker kill test, which run the engine on its own with secrets held in memory.
 * (The end-to-end tests and the demo seed through the contract instead.)
 */
export interface StoreSeed {
  readonly connections: Readonly<Record<string, ConnectionSettings>>;
  readonly mappings: Readonly<Record<string, MappingSpecInput>>;
  /** Flows by name; `source`, `target` and `mapping` name entries above. */
  readonly flows: Readonly<
    Record<
      string,
      Omit<FlowDefinitionInput, 'name' | 'sourceConnectionId' | 'targetConnectionId' | 'mappingId'> & {
        source: string;
        target: string;
        mapping: string;
      }
    >
  >;
}

export interface SeededStore {
  readonly connectionIds: Record<string, string>;
  readonly flows: Record<string, Flow>;
}

export function seedStore(dataDir: string, seed: StoreSeed): SeededStore {
  const store = openStore({ dataDir, log: { warn: () => undefined } });
  try {
    const connections = new ConnectionsRepo(store.db);
    const mappings = new MappingsRepo(store.db);
    const flows = new FlowsRepo(store.db);
    const connectionIds: Record<string, string> = {};
    for (const [name, settings] of Object.entries(seed.connections))
      connectionIds[name] = connections.insert(name, settings, 'seed').id;
    const mappingIds: Record<string, string> = {};
    for (const [name, spec] of Object.entries(seed.mappings)) {
      const id = mappings.create(
        { name, description: '', spec: mappingSpecSchema.parse(spec), note: '' },
        'seed-author',
      );
      mappings.approve(id, 1, 'seed-approver');
      mappings.activate(id, 1, 'seed-approver');
      mappingIds[name] = id;
    }
    const created: Record<string, Flow> = {};
    for (const [name, flow] of Object.entries(seed.flows)) {
      const { source, target, mapping, ...rest } = flow;
      const definition = flowDefinitionSchema.parse({
        ...rest,
        name,
        sourceConnectionId: connectionIds[source],
        targetConnectionId: connectionIds[target],
        mappingId: mappingIds[mapping],
      });
      created[name] = flows.insert(definition, 'seed');
    }
    return { connectionIds, flows: created };
  } finally {
    store.close();
  }
}
