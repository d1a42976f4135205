import { createOdooConnector, externalIdName } from '../../../main/connectors/odoo/index.js';
import type { TargetWrite } from '../../../main/connectors/types.js';
import type { SecretReader } from '../../../main/vault/types.js';
import { odooSettingsSchema } from '../../../shared/domain/connection.js';
import { startOdooEmulator } from '../../peers/odoo/index.js';
import type { Benchmark, Measure } from '../bench-types.js';

/**
 * Records per second written to Odoo through the connector's batched, idempotent `load` upsert
 * (value) versus one `create` call per record (baseline), in the same run, against the emulator with
 * the latency measured on a real Odoo 17 on the same host: ~30 ms per call plus ~2 ms per record
 * written (one record per call ≈ 37 ms; a 1000-record load ≈ 2.3 s). The batched figure includes
 * the one `search` per batch the upsert makes to tell created from updated (the model's highest
 * id). The same comparison against a real Odoo 17 is the `odoo-real` benchmark.
 */

const LATENCY = { perCallMs: 30, perRecordMs: 2 };
const BATCH_SIZE = 500;
const BATCHED_RECORDS = 2000;
const SINGLE_RECORDS = 150;
const API_KEY = 'bench-key-not-a-secret';

const secrets: SecretReader = { read: () => Promise.resolve(API_KEY) };

function patients(count: number, prefix: string): TargetWrite[] {
  return Array.from({ length: count }, (_, index) => ({
    key: externalIdName('bench-ehr', 'Patient', `${prefix}-${index}`),
    payload: {
      name: `Bench patient ${prefix} ${index}`,
      email: `p${index}@example.org`,
      ref: `MRN-${prefix}-${index}`,
    },
  }));
}

async function seconds(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export const odooUpsertBench: Benchmark = {
  name: 'odoo-upsert',
  description:
    'Odoo writes: batched load upsert vs one create per record (emulator, 30 ms/call + 2 ms/record)',
  async run(): Promise<readonly Measure[]> {
    const emulator = await startOdooEmulator({ apiKeys: [{ key: API_KEY }], latency: LATENCY });
    const odoo = createOdooConnector({
      connectionId: 'conn_benchodoo0001',
      // One call at a time for both sides, so the ratio is batching alone, not parallelism.
      settings: odooSettingsSchema.parse({
        kind: 'odoo',
        baseUrl: emulator.url,
        database: 'odoo17',
        login: 'admin',
        maxConcurrentCalls: 1,
        maxCallsPerSecond: 100,
        timeoutMs: 60_000,
      }),
      secrets,
    });
    try {
      await odoo.describe();
      await odoo.create('res.partner', [{ name: 'Warm-up' }]);

      const single = patients(SINGLE_RECORDS, 'single');
      const singleSeconds = await seconds(async () => {
        for (const write of single) await odoo.create('res.partner', [write.payload]);
      });

      const batched = patients(BATCHED_RECORDS, 'batched');
      let landed = 0;
      const batchedSeconds = await seconds(async () => {
        for (let start = 0; start < batched.length; start += BATCH_SIZE) {
          const outcomes = await odoo.upsert('res.partner', batched.slice(start, start + BATCH_SIZE));
          landed += outcomes.filter((outcome) => outcome.ok && outcome.created).length;
        }
      });
      if (landed !== BATCHED_RECORDS)
        throw new Error(`odoo-upsert: only ${landed} of ${BATCHED_RECORDS} records landed`);

      const value = BATCHED_RECORDS / batchedSeconds;
      const baseline = SINGLE_RECORDS / singleSeconds;
      return [
        {
          bench: 'odoo-upsert',
          value: Math.round(value * 10) / 10,
          unit: 'records/s',
          baseline: Math.round(baseline * 10) / 10,
          ratio: Math.round((value / baseline) * 100) / 100,
          better: 'higher',
          note: `load batches of ${BATCH_SIZE} (${BATCHED_RECORDS} records) vs create per record (${SINGLE_RECORDS}); target ratio >= 12`,
        },
      ];
    } finally {
      await odoo.close();
      await emulator.close();
    }
  },
};
