import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ChargeItem } from 'fhir/r4';
import type { Benchmark, Measure } from '../bench-types.js';
import { createFhirConnector } from '../../../main/connectors/fhir/index.js';
import { createOdooConnector } from '../../../main/connectors/odoo/index.js';
import { EngineClient } from '../../../main/engine/worker/engine-client.js';
import type { FhirSettings, OdooSettings } from '../../../shared/domain/connection.js';
import { FINISHED_RUN_STATUSES, type RunProgress } from '../../../shared/domain/run.js';
import { bulkChargesMapping } from '../../peers/demo/demo-mappings.js';
import { seedStore } from '../../peers/demo/seed-store.js';
import { spawnEmulators, type EmulatorsProcess } from '../../peers/demo/spawn-emulators.js';

const RECORDS = Number(process.env.OSC_BENCH_FLOW_RECORDS ?? 100_000);
const PAGE = 1000;

function settings(emulators: EmulatorsProcess): { odoo: OdooSettings; fhir: FhirSettings } {
  return {
    odoo: {
      kind: 'odoo',
      baseUrl: emulators.odooUrl,
      database: emulators.odooDatabase,
      login: 'admin',
      authMethod: 'api-key',
      protocol: 'auto',
      externalIdModule: 'osc_sync',
      allowInsecureHttp: true,
      maxConcurrentCalls: 2,
      maxCallsPerSecond: 100,
      timeoutMs: 120_000,
    },
    fhir: {
      kind: 'fhir',
      baseUrl: emulators.fhirUrl,
      authMethod: 'bearer',
      username: '',
      allowInsecureHttp: true,
      pageSize: PAGE,
      overlapSeconds: 120,
      timeoutMs: 120_000,
    },
  };
}

/**
 * The baseline: the same extract and load calls, without the pipeline — no mapping engine, no
 * validation, no hashes, no SQLite, no lineage, no audit, no worker. Payloads are built in plain JS.
 */
async function baseline(emulators: EmulatorsProcess, secret: (id: string) => string): Promise<number> {
  const s = settings(emulators);
  const fhir = createFhirConnector('bench-fhir', s.fhir, { read: (id) => Promise.resolve(secret(id)) });
  const odoo = createOdooConnector({
    connectionId: 'bench-odoo',
    settings: s.odoo,
    secrets: { read: (id) => Promise.resolve(secret(id)) },
  });
  const started = performance.now();
  let written = 0;
  try {
    for await (const page of fhir.source.extract({
      selector: { resourceType: 'ChargeItem' },
      cursor: null,
      pageSize: PAGE,
    })) {
      const rows = page.records.map((record) => {
        const item = record.data as ChargeItem & { id: string };
        return {
          key: `base_charge_${item.id.replace(/[^A-Za-z0-9_]/g, '_')}`,
          payload: {
            move_type: 'out_invoice',
            ref: item.id,
            invoice_date: (item.occurrenceDateTime ?? '').slice(0, 10),
            invoice_line_ids: [
              {
                name: item.code.coding?.[0]?.display,
                quantity: item.quantity?.value,
                price_unit: item.priceOverride?.value,
              },
            ],
            'partner_id/id': 'base.main_partner',
          },
        };
      });
      const outcomes = await odoo.upsert('account.move', rows);
      written += outcomes.filter((outcome) => outcome.ok).length;
    }
  } finally {
    await odoo.close();
  }
  if (written !== RECORDS) throw new Error(`baseline wrote ${written} of ${RECORDS}`);
  return RECORDS / ((performance.now() - started) / 1000);
}

interface PipelineResult {
  readonly rate: number;
  readonly peakRssMb: number;
  readonly lagP99Ms: number;
}

/** The whole engine: worker thread, mapping, validation, hashes, batched SQLite lineage and audit. */
async function pipeline(
  emulators: EmulatorsProcess,
  keys: { odooApiKey: string; fhirToken: string },
): Promise<PipelineResult> {
  const dir = mkdtempSync(join(tmpdir(), 'osc-bench-flow-'));
  const s = settings(emulators);
  const seeded = seedStore(dir, {
    connections: { ehr: s.fhir, odoo: s.odoo },
    mappings: { charges: bulkChargesMapping },
    flows: {
      bulk: {
        source: 'ehr',
        sourceSelector: { resourceType: 'ChargeItem' },
        target: 'odoo',
        targetOperation: { model: 'account.move' },
        mapping: 'charges',
        batchSize: PAGE,
      },
    },
  });
  const flow = seeded.flows.bulk!;
  let finish: (progress: RunProgress) => void = () => undefined;
  const finished = new Promise<RunProgress>((resolve) => {
    finish = resolve;
  });
  const engine = new EngineClient({
    dataDir: dir,
    secrets: {
      read: (id) => Promise.resolve(id === seeded.connectionIds.ehr ? keys.fhirToken : keys.odooApiKey),
    },
    publish: (event) => {
      if (event.type === 'runs.progress' && FINISHED_RUN_STATUSES.includes(event.progress.status))
        finish(event.progress);
    },
  });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    await engine.start();
    lag.enable();
    const started = performance.now();
    await engine.call('enqueue', {
      flowId: flow.id,
      trigger: 'manual',
      requestedBy: 'bench',
      backfillFrom: null,
    });
    const done = await finished;
    const seconds = (performance.now() - started) / 1000;
    lag.disable();
    if (done.counts.written !== RECORDS)
      throw new Error(`the flow wrote ${done.counts.written} of ${RECORDS} (${done.status})`);
    return { rate: RECORDS / seconds, peakRssMb: peakRss / 1024 / 1024, lagP99Ms: lag.percentile(99) / 1e6 };
  } finally {
    clearInterval(sampler);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const flowE2eBench: Benchmark = {
  name: 'flow-e2e',
  description: `${RECORDS} FHIR ChargeItems → Odoo invoices through the engine vs the same extract+load calls`,
  async run(): Promise<readonly Measure[]> {
    const keys = { odooApiKey: randomBytes(20).toString('hex'), fhirToken: randomBytes(20).toString('hex') };
    // Emulators in their own process, latency injection off: the figure is the console's capacity.
    // Each side gets fresh emulators, so neither writes into a database the other already filled.
    const start = (): Promise<EmulatorsProcess> =>
      spawnEmulators({ ...keys, bulkChargeItems: RECORDS, fhirSeed: 'empty', maxCount: PAGE });
    // The pipeline goes first: the peak RSS is the console's own, not what the baseline's pages
    // left behind in this process's heap.
    let emulators = await start();
    try {
      const result = await pipeline(emulators, keys);
      await emulators.close();
      emulators = await start();
      const base = await baseline(emulators, (id) =>
        id === 'bench-fhir' ? keys.fhirToken : keys.odooApiKey,
      );
      return [
        {
          bench: 'flow-e2e',
          value: result.rate,
          unit: 'records/s',
          baseline: base,
          ratio: result.rate / base,
          better: 'higher',
          note: `${RECORDS} records, ${PAGE}/page, durable lineage + audit, engine in a worker; baseline = same extract+load without the pipeline`,
        },
        {
          bench: 'flow-e2e-rss',
          value: result.peakRssMb,
          unit: 'MB',
          baseline: null,
          ratio: null,
          better: 'lower',
          note: 'peak RSS of the console process (serving thread + engine worker)',
        },
        {
          bench: 'serving-lag-p99',
          value: result.lagP99Ms,
          unit: 'ms',
          baseline: null,
          ratio: null,
          better: 'lower',
          note: 'event-loop delay p99 of the serving thread during the run',
        },
      ];
    } finally {
      await emulators.close();
    }
  },
};
