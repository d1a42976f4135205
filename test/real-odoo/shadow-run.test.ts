import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../shared/domain/flow.js';
import { FINISHED_RUN_STATUSES } from '../../shared/domain/run.js';
import type { ShadowReport } from '../../shared/domain/shadow.js';
import { bulkChargesMapping } from '../peers/demo/demo-mappings.js';
import { spawnEmulators, type EmulatorsProcess } from '../peers/demo/spawn-emulators.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { makeTempDir } from '../support/temp-dir.js';
import { CrashConsole, seedInvoiceFlow } from './crash-resume-env.js';

/**
 * A shadow run on a real Odoo (issue 12, item 3; 17 or 19, as ODOO_SERVER_DIR says): a real
 * `osc serve` writes 20 FHIR charges as customer invoices with the active mapping; a draft that
 * changes `ref` on the charges whose id ends in 3 is shadow-run over them. Odoo checks every write
 * in a load it rolls back (dry-run-load.ts). Read back as admin, every readable field of every
 * invoice and invoice line, with the counts and the highest ids, is byte-identical after the run,
 * and the report names exactly `ref` on exactly those records, every one accepted by Odoo. A second
 * draft with a partner Odoo does not have is refused record by record with Odoo's own message, and
 * still leaves Odoo byte-identical.
 */
const RECORDS = 20;
const MODULE = 'osc_shadow';
const MODELS = ['account.move', 'account.move.line'] as const;

const fhirToken = randomBytes(20).toString('hex');
const temp = makeTempDir('osc-shadow-');
let odoo: RealOdoo;
let console_: CrashConsole;
let flow: Flow;
const started: { odoo?: RealOdoo; emulators?: EmulatorsProcess; console?: CrashConsole } = {};

beforeAll(async () => {
  odoo = started.odoo = await startRealOdoo();
  const emulators = (started.emulators = await spawnEmulators({
    odooApiKey: randomBytes(20).toString('hex'),
    fhirToken,
    bulkChargeItems: RECORDS,
    fhirSeed: 'empty',
  }));
  console_ = started.console = new CrashConsole(temp.dir);
  await console_.start(true);
  flow = await seedInvoiceFlow(console_.operators, {
    odoo: {
      url: odoo.url,
      database: odoo.database,
      login: odoo.integration.login,
      key: odoo.integration.key,
      module: MODULE,
    },
    fhir: { url: emulators.fhirUrl, token: fhirToken },
    batchSize: 50,
  });
  const run = await console_.operators.it.value('flows.runNow', { id: flow.id });
  for (const deadline = Date.now() + 120_000; ;) {
    const now = await console_.operators.it.value('runs.get', { id: run.id });
    if (FINISHED_RUN_STATUSES.includes(now.status)) {
      expect(now.counts).toMatchObject({ read: RECORDS, written: RECORDS, failed: 0 });
      break;
    }
    if (Date.now() > deadline) throw new Error('the first run did not finish');
    await sleep(200);
  }
});

afterAll(async () => {
  await started.console?.stop();
  await started.emulators?.close();
  await started.odoo?.stop();
  temp.cleanup();
});

const readable = new Map<string, string[]>();

async function readAll(model: string, fields: readonly string[]): Promise<unknown> {
  return odoo.adminRpc.call(model, 'search_read', [[]], {
    fields,
    order: 'id',
    context: { active_test: false },
  });
}

/**
 * The fields admin can read over JSON-RPC: a few computed fields answer values Odoo cannot encode
 * ("keys must be str … not frozendict"); they are found by halving the field list, once per model.
 */
async function readableFields(model: string, fields: readonly string[]): Promise<string[]> {
  try {
    await readAll(model, fields);
    return [...fields];
  } catch {
    if (fields.length === 1) return [];
    const half = Math.ceil(fields.length / 2);
    return [
      ...(await readableFields(model, fields.slice(0, half))),
      ...(await readableFields(model, fields.slice(half))),
    ];
  }
}

/** Every field admin can read of every record (inactive too), the counts and the highest ids. */
async function odooSnapshot(): Promise<string> {
  const models = [];
  for (const model of MODELS) {
    let fields = readable.get(model);
    if (fields === undefined) {
      const answer = await odoo.adminRpc.call(model, 'fields_get', [], { attributes: ['type'] });
      const all = Object.keys(answer as Record<string, unknown>).sort();
      fields = await readableFields(model, all);
      expect(fields.length).toBeGreaterThan(all.length - 10);
      expect(fields).toEqual(expect.arrayContaining(['id', 'write_date', 'create_date']));
      readable.set(model, fields);
    }
    const rows = await readAll(model, fields);
    const count = await odoo.adminRpc.call(model, 'search_count', [[]], { context: { active_test: false } });
    const highest = await odoo.adminRpc.call(model, 'search', [[]], {
      limit: 1,
      order: 'id desc',
      context: { active_test: false },
    });
    models.push({ model, count, highest, rows });
  }
  return JSON.stringify(models);
}

async function shadowRun(version: number): Promise<ShadowReport> {
  const { it } = console_.operators;
  const run = await it.value('shadow.start', { flowId: flow.id, version, limit: 100 });
  for (const deadline = Date.now() + 120_000; ;) {
    const report = await it.value('shadow.report', { id: run.id });
    if (report.run.state !== 'running') return report;
    if (Date.now() > deadline) throw new Error('the shadow run did not finish');
    await sleep(200);
  }
}

async function draft(change: (field: { target: string; expression: string }) => string | null, note: string) {
  return console_.operators.it.value('mappings.saveDraft', {
    id: flow.mappingId,
    spec: {
      ...bulkChargesMapping,
      fields: bulkChargesMapping.fields.map((field) => ({
        ...field,
        expression: change(field) ?? field.expression,
      })),
    },
    note,
  });
}

describe(`shadow runs on a real Odoo (${process.env.ODOO_SERVER_DIR ?? 'default server'})`, () => {
  it('a changed ref: exactly that field on exactly the affected records, Odoo byte-identical', async () => {
    const version = await draft(
      (field) => (field.target === 'ref' ? '$substring(id, -1) = "3" ? "shadow-" & id : id' : null),
      'ref marks charges whose id ends in 3',
    );
    const stable = await odooSnapshot();
    expect(await odooSnapshot()).toBe(stable); // the snapshot itself is deterministic
    const report = await shadowRun(version.version);
    expect(await odooSnapshot()).toBe(stable);
    expect(report.run).toMatchObject({
      state: 'finished',
      records: RECORDS,
      accepted: RECORDS,
      refused: 0,
      clean: true,
      activeVersion: 1,
    });
    const affected = report.records.filter((record) => record.sourceId.endsWith('3'));
    expect(affected.length).toBe(2);
    for (const record of report.records) {
      const id = record.sourceId.replace(/^ChargeItem\//, '');
      if (affected.includes(record)) {
        expect(record.diffs).toEqual([{ path: 'ref', active: id, shadow: `shadow-${id}`, odoo: id }]);
      } else {
        expect(record.diffs, record.sourceId).toEqual([]);
      }
      expect(record.targetId).toMatch(/^\d+$/);
    }
  });

  it("a partner Odoo does not have: refused per record with Odoo's message, Odoo byte-identical", async () => {
    const version = await draft(() => null, 'unchanged fields; the reference below changes');
    // The reference lives in `references`, not in `fields`: a second draft with a missing partner.
    const missing = await console_.operators.it.value('mappings.saveDraft', {
      id: flow.mappingId,
      spec: {
        ...bulkChargesMapping,
        references: [
          {
            field: 'partner_id',
            expression: '$substring(id, -1) = "7" ? "osc_shadow.nobody" : "base.main_partner"',
          },
        ],
      },
      note: 'a partner Odoo does not have, for charges ending in 7',
    });
    expect(missing.version).toBe(version.version + 1);
    const before = await odooSnapshot();
    const report = await shadowRun(missing.version);
    expect(await odooSnapshot()).toBe(before);
    const refused = report.records.filter((record) => record.verdict === 'refused');
    expect(refused.map((record) => record.sourceId.slice(-1))).toEqual(['7', '7']);
    for (const record of refused) {
      expect(record.message).toMatch(/osc_shadow\.nobody/);
      expect(record.diffs?.map((diff) => diff.path)).toEqual(['partner_id/id']);
    }
    expect(report.run).toMatchObject({ accepted: RECORDS - 2, refused: 2, clean: false });
  });
});
