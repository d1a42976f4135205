import type { Benchmark, Measure } from '../bench-types.js';
import { createOdooConnector } from '../../../main/connectors/odoo/index.js';
import { Reconciler } from '../../../main/engine/reconcile/reconciler.js';
import { addDays, lookbackPeriods } from '../../../main/engine/reconcile/reconcile-periods.js';
import { ConnectionsRepo } from '../../../main/repositories/connections-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import { odooDatetime } from '../../peers/odoo/database.js';
import { seedStore } from '../../peers/demo/seed-store.js';
import { OdooRpcClient } from '../../peers/real-odoo/admin-rpc.js';
import { REAL_ODOO17_LATENCY, startOdooEmulator } from '../../peers/odoo/index.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Reconciliation (issue 12): 100,000 invoices in balance in the Odoo emulator (with the latency
 * measured against the real Odoo 17: 37 ms a call), the console's facts for each. The console's
 * reconciliation (one grouped call per look: counts, sums and last write per month, against one
 * GROUP BY of the facts) against a record-by-record comparison of the same data in the same run:
 * keyset-paged search_read of every invoice (5,000 a page), each compared with its fact.
 */
const RECORDS = Number(process.env.OSC_BENCH_RECONCILE_RECORDS ?? 100_000);
const PAGE = 5000;
const API_KEY = 'bench-key-not-a-secret';
const MODULE = 'osc_bench';
const DOMAIN: [string, string, string][] = [['move_type', '=', 'out_invoice']];
/**
 * The real Odoo 17's cost (test stage, 2 cores): 37 ms a call, and ≈ 0.07 ms for each invoice a
 * search_read answers (measured there: search_read of 1,000 invoices with these four fields took
 * 64–70 ms more than a trivial call, in two runs); its read_group over the same invoices took no
 * measurable time per row beyond the call's (PostgreSQL sums them), so grouping costs the call only.
 */
const LATENCY = {
  ...REAL_ODOO17_LATENCY,
  perReadMs: Number(process.env.OSC_BENCH_RECONCILE_READ_MS ?? 0.07),
};

interface Fact {
  readonly amount: number;
}

export const reconcileBench: Benchmark = {
  name: 'reconcile',
  description:
    'Reconciliation of 100k invoices in balance (emulator, real-Odoo-17 call latency): grouped counts and sums vs a record-by-record comparison of the same data',
  async run(): Promise<readonly Measure[]> {
    const emulator = await startOdooEmulator({ apiKeys: [{ key: API_KEY }], latency: LATENCY });
    const temp = makeTempDir('osc-bench-reconcile-');
    try {
      // Three months back from today, one invoice after another through them.
      const months = lookbackPeriods(new Date(), 'month', 3);
      const first = months[0] ?? '';
      const spanDays = Math.max(1, Math.round((Date.now() - Date.parse(`${first}T00:00:00Z`)) / 86_400_000));
      const db = emulator.state.db;
      const partner = db.create('res.partner', { name: 'Bench patient' }, 2);
      const facts: [string, number, string, number][] = [];
      for (let index = 0; index < RECORDS; index += 1) {
        const day = addDays(first, index % spanDays);
        const amount = 10 + (index % 97);
        const id = db.create(
          'account.move',
          {
            move_type: 'out_invoice',
            partner_id: partner,
            invoice_date: day,
            ref: `charge-${index}`,
            invoice_line_ids: [[0, 0, { name: 'Consultation', quantity: 1, price_unit: amount }]],
          },
          2,
        );
        facts.push([`charge_${index}`, id, day, amount]);
      }
      const seeded = seedStore(temp.dir, {
        connections: {
          src: {
            kind: 'fhir',
            baseUrl: 'http://127.0.0.1:9/',
            allowInsecureHttp: true,
            authMethod: 'none',
            username: '',
            pageSize: 500,
            overlapSeconds: 0,
            timeoutMs: 1000,
          },
          odoo: {
            kind: 'odoo',
            baseUrl: emulator.url,
            database: emulator.state.database,
            login: 'admin',
            authMethod: 'api-key',
            protocol: 'auto',
            externalIdModule: MODULE,
            allowInsecureHttp: true,
            maxConcurrentCalls: 1,
            maxCallsPerSecond: 100,
            timeoutMs: 120_000,
          },
        },
        mappings: { charges: { key: '"charge_" & id', fields: [{ target: 'ref', expression: 'id' }] } },
        flows: {
          charges: {
            source: 'src',
            sourceSelector: { resourceType: 'ChargeItem' },
            target: 'odoo',
            targetOperation: { model: 'account.move', kind: 'upsert' },
            mapping: 'charges',
            reconcile: {
              period: 'month',
              targetDateField: 'invoice_date',
              targetAmountField: 'amount_untaxed',
              payloadDate: 'invoice_date',
              payloadAmount: '$sum(invoice_line_ids.(quantity * price_unit))',
              targetDomain: DOMAIN,
              keyField: 'ref',
              lookbackPeriods: 3,
            },
          },
        },
      });
      const flowId = seeded.flows.charges?.id ?? '';
      const store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
      try {
        // The facts the flow's writes would have left, written after Odoo stamped the invoices.
        const writtenAt = new Date(Date.now() + 2000).toISOString();
        const insert = store.db.prepare(
          `INSERT INTO reconcile_facts (flow_id, target_key, target_id, source_type, source_id, period_date, amount,
             key_value, payload_hash, written_at) VALUES (?, ?, ?, 'ChargeItem', ?, ?, ?, ?, 'h', ?)`,
        );
        store.db.transaction(() => {
          for (const [key, id, day, amount] of facts)
            insert.run(flowId, key, String(id), `ChargeItem/${key}`, day, amount, key.slice(7), writtenAt);
        })();
        await new Promise((resolve) => setTimeout(resolve, 2100));

        const connection = seeded.connectionIds.odoo ?? '';
        const secrets = { read: () => Promise.resolve(API_KEY) };
        const odooSettings = new ConnectionsRepo(store.db).get(connection)?.settings;
        if (odooSettings?.kind !== 'odoo') throw new Error('reconcile bench: no Odoo connection');
        const connector = createOdooConnector({ connectionId: connection, settings: odooSettings, secrets });
        const reconciler = new Reconciler({
          db: store.db,
          secrets,
          emit: () => undefined,
          odooFor: () => connector,
        });

        // Warm both paths' connection and login (not measured).
        await connector.describe();
        const rpc = new OdooRpcClient(emulator.url, emulator.state.database, {
          login: 'admin',
          key: API_KEY,
        });
        await rpc.login();

        const callsBefore = emulator.state.calls.length;
        const began = performance.now();
        const run = await reconciler.run({ flowId, trigger: 'manual', requestedBy: 'bench' });
        const grouped = performance.now() - began;
        const groupedCalls = emulator.state.calls.length - callsBefore;
        if (run.state !== 'balanced') throw new Error(`reconcile bench: ${run.state} ${run.error ?? ''}`);

        const byRecordBegan = performance.now();
        const ledger = new Map<string, Fact>(
          store.db
            .prepare<[string], { target_id: string; amount: number }>(
              'SELECT target_id, amount FROM reconcile_facts WHERE flow_id = ?',
            )
            .all(flowId)
            .map((row) => [row.target_id, { amount: row.amount }]),
        );
        let lastId = 0;
        let seen = 0;
        let differing = 0;
        let calls = 0;
        for (;;) {
          const rows = (await rpc.call('account.move', 'search_read', [[...DOMAIN, ['id', '>', lastId]]], {
            fields: ['write_date', 'invoice_date', 'amount_untaxed', 'ref'],
            limit: PAGE,
            order: 'id',
          })) as { id: number; amount_untaxed: number }[];
          calls += 1;
          for (const row of rows) {
            const fact = ledger.get(String(row.id));
            if (fact === undefined || Math.abs(fact.amount - row.amount_untaxed) > 0.005) differing += 1;
            seen += 1;
          }
          const last = rows.at(-1);
          if (last === undefined || rows.length < PAGE) break;
          lastId = last.id;
        }
        const byRecord = performance.now() - byRecordBegan;
        if (seen !== RECORDS || differing !== 0 || ledger.size !== RECORDS)
          throw new Error(`reconcile bench: record by record saw ${seen}, ${differing} differing`);
        await connector.close();

        const ratio = byRecord / grouped;
        const note = `${RECORDS} invoices in balance over ${run.periods} months; console ${groupedCalls} Odoo call(s), record by record ${calls} pages of ${PAGE}; ${odooDatetime(new Date())}`;
        return [
          {
            bench: 'reconcile',
            value: grouped,
            unit: 'ms',
            baseline: byRecord,
            ratio,
            better: 'lower',
            note,
          },
          {
            bench: 'reconcile-records-per-s',
            value: RECORDS / (grouped / 1000),
            unit: 'records/s',
            baseline: RECORDS / (byRecord / 1000),
            ratio,
            better: 'higher',
            note: 'records reconciled per second: console vs record by record',
          },
        ];
      } finally {
        store.close();
      }
    } finally {
      temp.cleanup();
      await emulator.close();
    }
  },
};
