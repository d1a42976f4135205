import type { LiveEvent } from '../../../shared/contract/events.js';
import type { SourceRecord } from '../../../main/connectors/types.js';
import type { FlowFallbackInput } from '../../../shared/domain/flow-fallback.js';
import { FallbackWork } from '../../../main/engine/fallback/fallback-work.js';
import { compileMapping } from '../../../main/engine/mapping/compile-mapping.js';
import { OutboxRepo } from '../../../main/engine/outbox/outbox-repo.js';
import { mapRecords, type MappedRecord } from '../../../main/engine/pipeline/map-page.js';
import type { RunContext } from '../../../main/engine/store/batch-commit.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { MappingsRepo } from '../../../main/engine/store/mappings-repo.js';
import { ConnectionsRepo } from '../../../main/repositories/connections-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { CLINIC_SYSTEMS } from '../../peers/fhir/clinic-catalogue.js';
import { supplyConsumptionFallback } from '../../peers/demo/demo-fallback.js';
import { supplyConsumptionMapping } from '../../peers/demo/demo-mappings.js';
import { seedStore } from '../../peers/demo/seed-store.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The demo's supply-use flow (FHIR SupplyDelivery → Odoo stock.move, its real mapping and fallback
 * settings) in a real store, with FallbackWork built as the engine builds it, for the fallback tests.
 */
export interface FallbackBench {
  readonly store: Store;
  readonly flowId: string;
  readonly targetConnectionId: string;
  readonly work: FallbackWork;
  readonly events: LiveEvent[];
  /** Maps SupplyDelivery resources with the flow's active mapping, as a run's page would. */
  mapped(resources: readonly Record<string, unknown>[]): Promise<MappedRecord[]>;
  readonly runContext: RunContext;
  close(): void;
}

/** Seeds the supply-use flow into a data folder; answers its id and its target connection's. */
export function seedSupplyFlow(
  dataDir: string,
  /** null: the flow has no fallback settings (its form is derived from the mapping). */
  fallback: FlowFallbackInput | null = supplyConsumptionFallback,
): { flowId: string; targetConnectionId: string; mappingId: string } {
  const seeded = seedStore(dataDir, {
    connections: {
      ehr: {
        kind: 'fhir',
        baseUrl: 'http://127.0.0.1:9/',
        allowInsecureHttp: true,
        authMethod: 'none',
        username: '',
        pageSize: 50,
        overlapSeconds: 0,
        timeoutMs: 1000,
      },
      odoo: {
        kind: 'odoo',
        baseUrl: 'http://127.0.0.1:9/',
        database: 'd',
        login: 'l',
        authMethod: 'api-key',
        protocol: 'auto',
        externalIdModule: 'osc_sync',
        allowInsecureHttp: true,
        maxConcurrentCalls: 1,
        maxCallsPerSecond: 1,
        timeoutMs: 1000,
      },
    },
    mappings: { supplies: supplyConsumptionMapping },
    flows: {
      supplies: {
        source: 'ehr',
        sourceSelector: { resourceType: 'SupplyDelivery' },
        target: 'odoo',
        targetOperation: { model: 'stock.move', kind: 'upsert' },
        mapping: 'supplies',
        ...(fallback === null ? {} : { fallback }),
      },
    },
  });
  const flow = seeded.flows.supplies;
  const targetConnectionId = seeded.connectionIds.odoo;
  if (flow === undefined || targetConnectionId === undefined)
    throw new Error('the supplies flow was not seeded');
  return { flowId: flow.id, targetConnectionId, mappingId: flow.mappingId };
}

export function openFallbackBench(
  /** null: the flow has no fallback settings (its form is derived from the mapping). */
  fallback: FlowFallbackInput | null = supplyConsumptionFallback,
): FallbackBench {
  const temp = makeTempDir('osc-fallback-');
  const { flowId, targetConnectionId, mappingId } = seedSupplyFlow(temp.dir, fallback);
  const store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
  const mappings = new MappingsRepo(store.db);
  const compiled = (id: string, version: number) => {
    const found = mappings.version(id, version);
    if (found === null) throw new Error(`no mapping ${id} v${String(version)}`);
    return compileMapping(found.spec);
  };
  const events: LiveEvent[] = [];
  let clock = Date.parse('2026-12-02T08:00:00Z');
  const work = new FallbackWork({
    db: store.db,
    flows: new FlowsRepo(store.db),
    mappings,
    connections: new ConnectionsRepo(store.db),
    compiled,
    outbox: new OutboxRepo(store.db),
    emit: (event) => events.push(event),
    // Every call a second later: entries get distinct, ordered times.
    now: () => new Date((clock += 1000)),
  });
  return {
    store,
    flowId,
    targetConnectionId,
    work,
    events,
    async mapped(resources) {
      const { good, failed } = await mapRecords(resources.map(supplyRecord), {
        mapping: compiled(mappingId, 1),
        orderingKey: null,
      });
      if (failed.length > 0) throw new Error(`test records failed: ${JSON.stringify(failed)}`);
      return [...good];
    },
    runContext: {
      runId: 'run_source_back',
      flowId,
      sourceSystem: 'fhir',
      targetSystem: 'odoo',
      targetModel: 'stock.move',
      mappingId,
      mappingVersion: 1,
    },
    close() {
      store.close();
      temp.cleanup();
    },
  };
}

/** What the form takes for one supply use (the demo clinic's shapes). */
export const GLOVES_ENTRY = {
  encounter: 'Encounter/enc-0042',
  patient: 'Patient/pat-007',
  code: 'SUP-GLOVE-M',
  description: 'Examination gloves, nitrile, size M (pair)',
  quantity: 2,
  location: 'Location/loc-1',
  time: '2026-12-02T09:15:00+01:00',
} as const;

/** The EHR's own SupplyDelivery for a supply use, as demo-clinic.ts builds them. */
export function supplyDelivery(
  id: string,
  values: { [K in keyof typeof GLOVES_ENTRY]?: string | number } = {},
  versionId = '1',
): Record<string, unknown> {
  const v = { ...GLOVES_ENTRY, ...values };
  return {
    resourceType: 'SupplyDelivery',
    id,
    meta: { versionId },
    status: 'completed',
    patient: { reference: v.patient },
    suppliedItem: {
      quantity: { value: v.quantity, unit: 'unit' },
      itemCodeableConcept: {
        coding: [{ system: CLINIC_SYSTEMS.supplyCode, code: v.code, display: v.description }],
      },
    },
    occurrenceDateTime: v.time,
    destination: { reference: v.location },
    extension: [{ url: CLINIC_SYSTEMS.encounterExtension, valueReference: { reference: v.encounter } }],
  };
}

/** A SupplyDelivery resource as the FHIR source hands it to a run. */
export function supplyRecord(resource: Record<string, unknown>): SourceRecord {
  return {
    type: 'SupplyDelivery',
    sourceId: `SupplyDelivery/${String(resource.id)}`,
    version: (resource.meta as { versionId?: string } | undefined)?.versionId ?? '1',
    updatedAt: null,
    data: resource,
  };
}
