import type { Flow } from '../../../shared/domain/flow.js';
import type { MappingSpec, MappingVersion, MappingWithVersions } from '../../../shared/domain/mapping.js';
import type { Run, RunProgress } from '../../../shared/domain/run.js';

/** Small, valid engine objects for renderer tests; each test overrides what it is about. */
export function flowOf(overrides: Partial<Flow> = {}): Flow {
  return {
    id: 'flow_aaaaaaaaaa',
    name: 'Supply consumption',
    description: '',
    sourceConnectionId: 'conn_fhirfhirfh',
    sourceSelector: { resourceType: 'SupplyDelivery' },
    targetConnectionId: 'conn_odooodooo1',
    targetOperation: { model: 'stock.move', kind: 'upsert' },
    mappingId: 'map_aaaaaaaaaa',
    schedule: { kind: 'cron', expression: '*/5 * * * *' },
    batchSize: 200,
    orderingKey: '',
    freshnessObjectiveMinutes: null,
    enabled: true,
    state: 'idle',
    cursor: null,
    lastRunId: null,
    lastSuccessAt: null,
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'ada',
    updatedAt: '2026-01-01T00:00:00Z',
    updatedBy: 'ada',
    ...overrides,
  };
}

export function runOf(overrides: Partial<Run> = {}): Run {
  return {
    id: 'run_aaaaaaaaaa',
    flowId: 'flow_aaaaaaaaaa',
    trigger: 'manual',
    requestedBy: 'ada',
    status: 'succeeded',
    mappingId: 'map_aaaaaaaaaa',
    mappingVersion: 1,
    counts: { read: 10, mapped: 9, unchanged: 2, written: 7, failed: 1 },
    cursorBefore: null,
    cursorAfter: '2026-01-01T00:05:00Z',
    backfillFrom: null,
    queuedAt: '2026-01-01T00:00:00Z',
    startedAt: '2026-01-01T00:00:01Z',
    finishedAt: '2026-01-01T00:00:03Z',
    error: null,
    ...overrides,
  };
}

export function progressOf(overrides: Partial<RunProgress> = {}): RunProgress {
  return {
    runId: 'run_aaaaaaaaaa',
    flowId: 'flow_aaaaaaaaaa',
    status: 'running',
    counts: { read: 40, mapped: 40, unchanged: 0, written: 30, failed: 0 },
    throughput: 1234,
    loadLatencyMs: 17,
    queueDepth: 10,
    ...overrides,
  };
}

export const SPEC: MappingSpec = {
  key: 'id',
  fields: [{ target: 'name', expression: 'name' }],
  references: [],
  valueMaps: {},
  rules: [{ id: 'has-name', expression: '$exists(name)', message: 'A name is needed', severity: 'error' }],
};

export function versionOf(overrides: Partial<MappingVersion> = {}): MappingVersion {
  return {
    mappingId: 'map_aaaaaaaaaa',
    version: 1,
    status: 'draft',
    spec: SPEC,
    specHash: 'ab'.repeat(32),
    note: '',
    author: 'ada',
    createdAt: '2026-01-01T00:00:00Z',
    approvedBy: null,
    approvedAt: null,
    activatedBy: null,
    activatedAt: null,
    ...overrides,
  };
}

export function mappingOf(versions: readonly MappingVersion[], overrides: Partial<MappingWithVersions> = {}) {
  const mapping: MappingWithVersions = {
    id: 'map_aaaaaaaaaa',
    name: 'Supplies',
    description: '',
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'ada',
    activeVersion: versions.find((version) => version.status === 'active')?.version ?? null,
    latestVersion: Math.max(...versions.map((version) => version.version)),
    versions,
    ...overrides,
  };
  return mapping;
}
