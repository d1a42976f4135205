import type { SourceRecord, Target, TargetOutcome, WriteRequest } from '../../../main/connectors/types.js';
import type { ConnectionSettings } from '../../../shared/domain/connection.js';
import { seedStore } from '../../peers/demo/seed-store.js';

const source = (): ConnectionSettings => ({
  kind: 'fhir',
  baseUrl: 'http://127.0.0.1:9/',
  allowInsecureHttp: true,
  authMethod: 'none',
  username: '',
  pageSize: 100,
  overlapSeconds: 0,
  timeoutMs: 1000,
});

/**
 * The one-click fix tests' store: three flows writing through ONE target connection `dst`.
 * - `supplies`: `kind` goes through the value map `kinds` (only K1 mapped), key `item_<id>`.
 * - `labs`: a lab result names its patient; the target refuses it until `patient_<p>` exists.
 * - `patients`: writes the patients the labs reference.
 * Each flow reads its own source connection, so a test hands each flow its own records.
 */
export function seedFixFlows(dataDir: string): {
  flows: { supplies: string; labs: string; patients: string };
  sources: { supplies: string; labs: string; patients: string };
  mappings: { supplies: string };
} {
  const seeded = seedStore(dataDir, {
    connections: {
      suppliesSrc: source(),
      labsSrc: source(),
      patientsSrc: source(),
      dst: {
        kind: 'odoo',
        baseUrl: 'http://127.0.0.1:9/',
        database: 'd',
        login: 'l',
        authMethod: 'api-key',
        protocol: 'auto',
        externalIdModule: 'm',
        allowInsecureHttp: true,
        maxConcurrentCalls: 1,
        maxCallsPerSecond: 1,
        timeoutMs: 1000,
      },
    },
    mappings: {
      supplies: {
        key: '"item_" & id',
        fields: [
          { target: 'value', expression: 'value' },
          { target: 'kind', expression: '$valueMap("kinds", kind)' },
        ],
        valueMaps: { kinds: { entries: { K1: 'one' } } },
      },
      labs: { key: '"lab_" & id', fields: [{ target: 'patient', expression: 'patient' }] },
      patients: { key: '"patient_" & id', fields: [{ target: 'name', expression: 'id' }] },
    },
    flows: {
      supplies: {
        source: 'suppliesSrc',
        sourceSelector: {},
        target: 'dst',
        targetOperation: { model: 'x.item' },
        mapping: 'supplies',
        batchSize: 1000,
      },
      labs: {
        source: 'labsSrc',
        sourceSelector: {},
        target: 'dst',
        targetOperation: { model: 'x.lab' },
        mapping: 'labs',
        batchSize: 100,
      },
      patients: {
        source: 'patientsSrc',
        sourceSelector: {},
        target: 'dst',
        targetOperation: { model: 'x.patient' },
        mapping: 'patients',
        batchSize: 100,
      },
    },
  });
  const id = (name: string): string => {
    const flow = seeded.flows[name];
    if (flow === undefined) throw new Error(`flow ${name} was not seeded`);
    return flow.id;
  };
  const connection = (name: string): string => {
    const found = seeded.connectionIds[name];
    if (found === undefined) throw new Error(`connection ${name} was not seeded`);
    return found;
  };
  const supplies = seeded.flows.supplies;
  if (supplies === undefined) throw new Error('supplies was not seeded');
  return {
    flows: { supplies: id('supplies'), labs: id('labs'), patients: id('patients') },
    sources: {
      supplies: connection('suppliesSrc'),
      labs: connection('labsSrc'),
      patients: connection('patientsSrc'),
    },
    mappings: { supplies: supplies.mappingId },
  };
}

export const supply = (id: string, kind: string): SourceRecord => ({
  type: 'Supply',
  sourceId: `Supply/${id}`,
  version: kind,
  updatedAt: null,
  data: { id, value: 1, kind },
});

export const lab = (id: string, patient: string): SourceRecord => ({
  type: 'Lab',
  sourceId: `Lab/${id}`,
  version: '1',
  updatedAt: null,
  data: { id, patient },
});

export const patient = (id: string): SourceRecord => ({
  type: 'Patient',
  sourceId: `Patient/${id}`,
  version: '1',
  updatedAt: null,
  data: { id },
});

/**
 * An upsert-by-key target counting its writes per key: a lab whose patient it does not hold is
 * refused as a missing reference (like Odoo's unknown many2one); keys in `unavailable` answer 503
 * (a count each), keys in `refused` a validation error.
 */
export class FixTarget implements Target {
  readonly system = 'script';
  readonly held = new Map<string, unknown>();
  readonly writes = new Map<string, number>();
  readonly unavailable = new Map<string, number>();
  /** Keys refused as bad data (a validation error), whatever they reference. */
  readonly refused = new Set<string>();
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    return Promise.resolve(
      request.records.map((r): TargetOutcome => {
        this.writes.set(r.key, (this.writes.get(r.key) ?? 0) + 1);
        const left = this.unavailable.get(r.key) ?? 0;
        if (left > 0) {
          this.unavailable.set(r.key, left - 1);
          return {
            key: r.key,
            ok: false,
            error: { class: 'transient', code: 'http.503', message: 'Service Unavailable' },
          };
        }
        if (this.refused.has(r.key)) {
          return {
            key: r.key,
            ok: false,
            error: {
              class: 'permanent',
              code: 'odoo.ValidationError',
              message: 'result: value out of range',
            },
          };
        }
        const wanted = r.payload.patient;
        if (typeof wanted === 'string' && !this.held.has(`patient_${wanted}`)) {
          return {
            key: r.key,
            ok: false,
            error: {
              class: 'permanent',
              code: 'odoo.unknown-reference',
              message: `patient: no patient with reference "${wanted}"`,
            },
          };
        }
        const created = !this.held.has(r.key);
        this.held.set(r.key, r.payload);
        return { key: r.key, ok: true, targetId: `id-${r.key}`, created };
      }),
    );
  }
  writesOf(key: string): number {
    return this.writes.get(key) ?? 0;
  }
  get totalWrites(): number {
    return [...this.writes.values()].reduce((a, b) => a + b, 0);
  }
}
