import { seedStore } from '../../peers/demo/seed-store.js';

/**
 * The engine tests' smallest flow: FHIR-shaped source → Odoo-shaped target `x.item`, mapping
 * `value ← value`, key `item_<id>`. The connection addresses are never dialled: the tests give the
 * engine their own source and target endpoints.
 */
export interface ItemsFlowOptions {
  readonly batchSize?: number;
  readonly orderingKey?: string;
  readonly targetTimeoutMs?: number;
  /** Validation rules of the items mapping (none by default). */
  readonly rules?: readonly { id: string; expression: string; message: string }[];
}

/** Seeds the data folder and returns the flow's id. */
export function seedItemsFlow(dataDir: string, options: ItemsFlowOptions = {}): string {
  const batchSize = options.batchSize ?? 10;
  const seeded = seedStore(dataDir, {
    connections: {
      src: {
        kind: 'fhir',
        baseUrl: 'http://127.0.0.1:9/',
        allowInsecureHttp: true,
        authMethod: 'none',
        username: '',
        pageSize: batchSize,
        overlapSeconds: 0,
        timeoutMs: 1000,
      },
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
        timeoutMs: options.targetTimeoutMs ?? 1000,
      },
    },
    mappings: {
      items: {
        key: '"item_" & id',
        fields: [{ target: 'value', expression: 'value' }],
        ...(options.rules === undefined ? {} : { rules: [...options.rules] }),
      },
    },
    flows: {
      items: {
        source: 'src',
        sourceSelector: {},
        target: 'dst',
        targetOperation: { model: 'x.item' },
        mapping: 'items',
        batchSize,
        orderingKey: options.orderingKey ?? '',
      },
    },
  });
  const flow = seeded.flows.items;
  if (flow === undefined) throw new Error('the items flow was not seeded');
  return flow.id;
}
