import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMPTION_LOCATION } from '../peers/demo/demo-mappings.js';
import { DEMO_PURCHASE_ORDERS } from '../peers/demo/demo-master-data.js';
import { DEMO_FLOW_NAMES } from '../peers/demo/seed-demo-clinic.js';
import { SERVICES, SUPPLY_ITEMS } from '../peers/fhir/index.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { makeTempDir } from '../support/temp-dir.js';
import { checkInvoices, checkMoves, checkPartners } from './demo-clinic-checks.js';
import { DemoConsole, oscRunFlow } from './demo-clinic-console.js';
import { expectedClinic, type ExpectedClinic } from './demo-clinic-expected.js';
import { externalIds, idOf, m2oId, readById, snapshotOdoo, type OdooSnapshot } from './demo-clinic-odoo.js';
import { walkOneClickFix } from './demo-clinic-one-click.js';
import { runDemoToExit, startDemo, type RunningDemo } from './demo-clinic-process.js';
import { versionForms, type VersionForms } from './demo-clinic-versions.js';

// The whole demo clinic into a real Odoo 17 or 19, started the way a user starts it (`npm run demo --
// --odoo-url …`), flows run as the least-privilege integration user; everything is checked by reading
// Odoo back as admin. Where 17 and 19 differ (product kind, stock.move's description, the virtual
// locations parent) the demo reads the server's fields_get and the test expects each version's form.

let odoo: RealOdoo;
let temp: ReturnType<typeof makeTempDir>;
let demo: RunningDemo | null = null;
let expected: ExpectedClinic;
let forms: VersionForms;
const timings: Record<string, number> = {};

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[label] = Math.round(performance.now() - started);
  }
}

beforeAll(async () => {
  odoo = await startRealOdoo();
  forms = versionForms(odoo.series);
  temp = makeTempDir('osc-demo-real-');
});
afterAll(async () => {
  await demo?.stop();
  await odoo.stop();
  temp.cleanup();
  console.log(`demo clinic on real Odoo, timings (ms): ${JSON.stringify(timings)}`);
});

const dataDir = (name: string): string => join(temp.dir, name);

/** Something holding a port, as another program would. */
async function holdPort(port: number): Promise<Server | null> {
  const server = createServer();
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? done(null) : fail(error),
    );
    server.listen(port, '127.0.0.1', () => done(server));
  });
}
const release = (server: Server | null): Promise<void> =>
  new Promise((done) => (server === null ? done() : server.close(() => done())));

describe('the demo clinic against a real Odoo', () => {
  it('refuses as the integration user on an unprepared Odoo before writing anything, naming what an administrator must create', async () => {
    const before = await snapshotOdoo(odoo.adminRpc);
    const refused = await timed('refused start', () =>
      runDemoToExit(odoo, odoo.integration, { dataDir: dataDir('refused') }),
    );
    expect(refused.code, refused.output).toBe(3);
    expect(refused.output).toContain('Nothing was written to Odoo');
    expect(refused.output).toContain(
      `location "${CONSUMPTION_LOCATION.name}", Location Type "Inventory Loss" (usage 'inventory'), ` +
        `${forms.locationParentWords}, external ID osc_sync.${CONSUMPTION_LOCATION.key}`,
    );
    for (const item of [...SUPPLY_ITEMS, ...SERVICES])
      expect(refused.output).toContain(`Internal Reference ${item.code},`);
    expect(refused.output).toContain('--prepare-odoo');
    expect(await snapshotOdoo(odoo.adminRpc)).toEqual(before);
    expect(before.xmlids).toEqual([]);
    expect(existsSync(dataDir('refused'))).toBe(false);
  });

  // As admin on the still unprepared Odoo: the start could write master data, so a refusal that
  // came late would show.
  it('a port asked for with --port that is taken is refused before anything is written to Odoo', async () => {
    const blocker = await holdPort(0);
    const address = blocker?.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const before = await snapshotOdoo(odoo.adminRpc);
      const refused = await runDemoToExit(odoo, odoo.admin, {
        dataDir: dataDir('port-taken'),
        extraArgs: ['--port', String(port)],
      });
      // Odoo first: what matters is that nothing was written, then how the refusal reads.
      expect(await snapshotOdoo(odoo.adminRpc)).toEqual(before);
      expect(before.xmlids).toEqual([]);
      expect(refused.code, refused.output).toBe(2);
      expect(refused.output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await release(blocker);
    }
  });

  it('an administrator prepares Odoo once with --prepare-odoo; preparing again writes nothing', async () => {
    const prepared = await timed('prepare as admin', () =>
      runDemoToExit(odoo, odoo.admin, { extraArgs: ['--prepare-odoo'] }),
    );
    expect(prepared.code, prepared.output).toBe(0);
    expect(prepared.output).toContain(forms.modelsLine);
    expect(prepared.output).toContain('created 1 location, 14 products, 3 suppliers, 2 purchase orders');

    const admin = odoo.adminRpc;
    const xmlids = await externalIds(admin);
    const locationId = idOf(xmlids, `osc_sync.${CONSUMPTION_LOCATION.key}`, 'stock.location');
    const virtual = await admin.resolveXmlId(CONSUMPTION_LOCATION.parent);
    expect(virtual !== null).toBe(forms.underVirtualLocations);
    const [location] = (
      await readById(admin, 'stock.location', [locationId], ['name', 'usage', 'location_id', 'active'])
    ).values();
    expect(location).toMatchObject({ name: CONSUMPTION_LOCATION.name, usage: 'inventory', active: true });
    expect(m2oId(location?.location_id)).toBe(virtual?.id ?? false);

    const products = await readById(
      admin,
      'product.product',
      [...SUPPLY_ITEMS, ...SERVICES].map((item) =>
        idOf(xmlids, `osc_sync.product_${item.code.replace(/[^A-Za-z0-9_]/g, '_')}`, 'product.product'),
      ),
      ['default_code', 'name', ...forms.productKindFields],
    );
    const kind = (row: Record<string, unknown>) =>
      Object.fromEntries(forms.productKindFields.map((field) => [field, row[field]]));
    expect([...products.values()].map((p) => [p.default_code, p.name, kind(p)])).toEqual([
      ...SUPPLY_ITEMS.map((item) => [item.code, item.display, forms.supplyKind]),
      ...SERVICES.map((service) => [service.code, service.display, forms.serviceKind]),
    ]);

    const orderIds = DEMO_PURCHASE_ORDERS.map((order) =>
      idOf(xmlids, `osc_sync.${order.key}`, 'purchase.order'),
    );
    const orders = await readById(admin, 'purchase.order', orderIds, [
      'state',
      'partner_ref',
      'partner_id',
      'amount_untaxed',
      'order_line',
    ]);
    DEMO_PURCHASE_ORDERS.forEach((order, index) => {
      const row = orders.get(orderIds[index] ?? 0);
      expect(row).toMatchObject({ state: 'purchase', partner_ref: order.vendorReference });
      expect(row?.amount_untaxed).toBeCloseTo(order.quantity * order.unitPrice, 2);
      expect(row?.order_line).toHaveLength(1);
    });
    expect(await admin.searchCount('purchase.order', [])).toBe(DEMO_PURCHASE_ORDERS.length);

    const before = await snapshotOdoo(admin);
    const again = await runDemoToExit(odoo, odoo.admin, { extraArgs: ['--prepare-odoo'] });
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain(
      "Odoo already holds the demo's master data (20 records): nothing created.",
    );
    expect(await snapshotOdoo(admin)).toEqual(before);
  });

  it('starts as the integration user and every flow lands exactly its records', async () => {
    const window = { fromMs: Date.now(), toMs: 0 };
    demo = await timed('start as integration user', () =>
      startDemo(odoo, odoo.integration, { dataDir: dataDir('first'), extraArgs: ['--port', '0'] }),
    );
    window.toMs = Date.now();
    expected = expectedClinic(window);
    expect(demo.output()).toContain(
      "Odoo already holds the demo's master data (20 records): nothing created.",
    );
    expect(demo.output()).toContain(forms.modelsLine);
    const console_ = await DemoConsole.signIn(demo.url, demo.itPassword);

    const runs = {
      patients: await timed('patients flow', () => console_.runNow(DEMO_FLOW_NAMES.patients)),
      supply: await timed('supply flow', () => console_.runNow(DEMO_FLOW_NAMES.supplyConsumption)),
      charges: await timed('charges flow', () => console_.runNow(DEMO_FLOW_NAMES.serviceCharges)),
      bills: await timed('vendor bills flow', () => console_.runNow(DEMO_FLOW_NAMES.supplierInvoices)),
      approvals: await timed('approvals flow', () => console_.runNow(DEMO_FLOW_NAMES.purchaseApprovals)),
    };
    for (const [flow, run] of Object.entries(runs)) expect(run.error, flow).toBeNull();

    const admin = odoo.adminRpc;
    const xmlids = await externalIds(admin);
    await checkPartners(admin, xmlids, expected.partners);
    const stock = await admin.resolveXmlId('stock.stock_location_stock');
    await checkMoves(admin, xmlids, expected.moves, forms.moveDescriptionField, {
      stock: stock?.id ?? 0,
      consumption: idOf(xmlids, `osc_sync.${CONSUMPTION_LOCATION.key}`, 'stock.location'),
    });
    await checkInvoices(admin, xmlids, expected.invoices, 'out_invoice');
    await checkInvoices(admin, xmlids, expected.bills, 'in_invoice');

    // Purchase orders → supplier portal: each approved order announced once, with Odoo's own figures.
    const orderIds = DEMO_PURCHASE_ORDERS.map((order) =>
      idOf(xmlids, `osc_sync.${order.key}`, 'purchase.order'),
    );
    const orders = await readById(admin, 'purchase.order', orderIds, ['name', 'partner_ref', 'amount_total']);
    for (const order of orders.values())
      await demo.waitForOutput(
        new RegExp(
          `supplier portal received purchase\\.order\\.approved: order ${String(order.name)}, ` +
            `vendor reference ${String(order.partner_ref)}, total ${String(order.amount_total)}\\n`,
        ),
        10_000,
      );
    expect(demo.output().match(/supplier portal received/g)).toHaveLength(DEMO_PURCHASE_ORDERS.length);

    // The seeded bad records fail for their own reason, and nothing else fails.
    const failures = [
      ...(await console_.failures(DEMO_FLOW_NAMES.patients)),
      ...(await console_.failures(DEMO_FLOW_NAMES.supplyConsumption)),
      ...(await console_.failures(DEMO_FLOW_NAMES.serviceCharges)),
      ...(await console_.failures(DEMO_FLOW_NAMES.supplierInvoices)),
      ...(await console_.failures(DEMO_FLOW_NAMES.purchaseApprovals)),
    ];
    expect(failures.map((f) => [f.sourceId, f.stage, f.errorCode]).sort()).toEqual(
      expected.failures.map((f) => [f.sourceId, f.stage, f.errorCode]).sort(),
    );
    for (const failure of expected.failures)
      expect(failures.find((f) => f.sourceId === failure.sourceId)?.errorMessage).toMatch(failure.message);
  });

  it('rerun and backfill with osc run-flow change nothing in Odoo', async () => {
    const before = await snapshotOdoo(odoo.adminRpc);
    const dir = dataDir('first');
    for (const name of Object.values(DEMO_FLOW_NAMES)) {
      const rerun = await timed(`rerun ${name}`, () => oscRunFlow(dir, name));
      expect(rerun.counts.written, `${name}\n${rerun.output}`).toBe(0);
      expect(rerun.counts.failed, `${name}\n${rerun.output}`).toBe(0);
    }
    const backfills = [
      [DEMO_FLOW_NAMES.patients, expected.partners.length, 0],
      [DEMO_FLOW_NAMES.supplyConsumption, expected.moves.length, 2],
      [DEMO_FLOW_NAMES.serviceCharges, expected.invoices.length, 1],
    ] as const;
    for (const [name, good, bad] of backfills) {
      const backfill = await timed(`backfill ${name}`, () => oscRunFlow(dir, name, '2000-01-01'));
      expect(backfill.counts, `${name}\n${backfill.output}`).toEqual({
        read: good + bad,
        mapped: good,
        unchanged: good,
        written: 0,
        failed: bad,
      });
    }
    const after = await snapshotOdoo(odoo.adminRpc);
    expect(after).toEqual(before);
  });

  it('a second start against the same Odoo creates nothing, and a taken default port moves to a free one', async () => {
    await demo?.stop();
    demo = null;
    const before: OdooSnapshot = await snapshotOdoo(odoo.adminRpc);
    const blocker = await holdPort(4780);
    try {
      demo = await timed('second start', () =>
        startDemo(odoo, odoo.integration, { dataDir: dataDir('second') }),
      );
    } finally {
      await release(blocker);
    }
    expect(demo.output()).toContain(
      "Odoo already holds the demo's master data (20 records): nothing created.",
    );
    expect(demo.output()).toMatch(/Port 4780 is in use, so the console took the free port \d+\./);
    expect(demo.url).not.toBe('http://127.0.0.1:4780');
    // The start runs the patients flow: let it finish, then nothing may be new in Odoo.
    const console_ = await DemoConsole.signIn(demo.url, demo.itPassword);
    await console_.runNow(DEMO_FLOW_NAMES.patients);
    const after = await snapshotOdoo(odoo.adminRpc);
    expect(after.counts).toEqual(before.counts);
    expect(after.xmlids).toEqual(before.xmlids);
    // The master data the start itself looks after is not even rewritten.
    for (const model of ['stock.location', 'product.product', 'product.template', 'purchase.order'])
      expect(after.writeDates[model], model).toEqual(before.writeDates[model]);
  });

  // Last, as it adds a stock move: on this file's prepared Odoo and the demo of the second start
  // (the integration user), so it needs no server, --prepare-odoo or demo start of its own.
  it('the one-click fix of an unknown supply code: mapped as finance, activated by an administrator, the blocked record lands in Odoo by itself', async () => {
    if (demo === null) throw new Error('the second start left no demo running');
    await timed('one-click fix', () => walkOneClickFix(odoo, demo!));
  });
});
