import type { Benchmark, Measure } from '../bench-types.js';
import { median } from '../bench-output.js';
import { spawnEmulators } from '../../peers/demo/spawn-emulators.js';
import { FhirHttp } from '../../../main/connectors/fhir/fhir-http.js';
import { FhirSource } from '../../../main/connectors/fhir/fhir-source.js';
import type { FhirSettings } from '../../../shared/domain/connection.js';

/**
 * FHIR incremental extraction speed: records/s through FhirSource (search, next links, dedupe,
 * cursor) against the emulator serving 50k generated ChargeItems, with pages of 1000 (value) against
 * pages of 100 (baseline). The emulator runs in its own process so its JSON work does not share our
 * event loop; latency is off (loopback), so the ratio is the per-request overhead alone — on a real
 * network each extra request also costs a round trip, and the gap only grows.
 */
const RECORDS = 50_000;
const ROUNDS = 3;
const TOKEN = 'bench-token-not-a-secret';

async function extractAll(baseUrl: string, pageSize: number): Promise<number> {
  const settings: FhirSettings = {
    kind: 'fhir',
    baseUrl,
    authMethod: 'bearer',
    username: '',
    allowInsecureHttp: false,
    pageSize,
    overlapSeconds: 120,
    timeoutMs: 30_000,
  };
  const http = new FhirHttp({
    connectionId: 'conn_benchfhir0001',
    settings,
    secrets: { read: () => Promise.resolve(TOKEN) },
  });
  const source = new FhirSource({ http, overlapSeconds: settings.overlapSeconds });
  const started = process.hrtime.bigint();
  let records = 0;
  for await (const page of source.extract({
    selector: { resourceType: 'ChargeItem' },
    cursor: null,
    pageSize,
  })) {
    records += page.records.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (records !== RECORDS) throw new Error(`extracted ${records} records, expected ${RECORDS}`);
  return records / seconds;
}

export const fhirExtractBench: Benchmark = {
  name: 'fhir-extract',
  description: `FHIR search extraction of ${RECORDS} ChargeItems: records/s with _count=1000 vs _count=100 (emulator in its own process, no added latency)`,
  async run(): Promise<readonly Measure[]> {
    const emulators = await spawnEmulators({
      odooApiKey: 'bench-odoo-key',
      fhirToken: TOKEN,
      fhirSeed: 'empty',
      bulkChargeItems: RECORDS,
    });
    try {
      await extractAll(emulators.fhirUrl, 1000); // warm-up: JIT, connection pool, emulator caches
      const large: number[] = [];
      const small: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        large.push(await extractAll(emulators.fhirUrl, 1000));
        small.push(await extractAll(emulators.fhirUrl, 100));
      }
      const value = median(large);
      const baseline = median(small);
      return [
        {
          bench: 'fhir-extract',
          value,
          unit: 'records/s',
          baseline,
          ratio: value / baseline,
          better: 'higher',
          note: `pages of 1000 vs 100, ${RECORDS} records, median of ${ROUNDS}, latency off`,
        },
      ];
    } finally {
      await emulators.close();
    }
  },
};
