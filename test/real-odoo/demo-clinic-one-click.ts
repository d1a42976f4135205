import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { AuditPage } from '../../shared/domain/audit.js';
import type { ExceptionDetail, ExceptionPage } from '../../shared/domain/exception.js';
import type { ExceptionFix } from '../../shared/domain/exception-fix.js';
import type { Flow } from '../../shared/domain/flow.js';
import { FINISHED_RUN_STATUSES, type Run } from '../../shared/domain/run.js';
import { DEMO_FLOW_NAMES } from '../peers/demo/seed-demo-clinic.js';
import { MODULE, productName, SUPPLY_PRODUCTS } from '../peers/demo/demo-mappings.js';
import { DEMO_BAD_RECORDS, SUPPLY_ITEMS } from '../peers/fhir/clinic-catalogue.js';
import type { RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { demoPasswords } from '../e2e/demo-process.js';
import { HttpSession } from '../support/test-http.js';
import { externalIds, idOf, m2oId, readById } from './demo-clinic-odoo.js';
import type { RunningDemo } from './demo-clinic-process.js';

// The finance user's one-click fix of an unknown supply code, against a real Odoo (17 or 19), as
// the demo clinic runs it: the flow writes as the least-privilege integration user; a finance user
// maps the code (a new mapping draft); an administrator approves and activates it; the blocked
// record is then replayed by itself and lands in Odoo as a stock move with the mapped product. Odoo
// is read back as admin. It runs as the last step of demo-clinic.test.ts, on that file's prepared
// Odoo and running demo, instead of a server, a --prepare-odoo and a demo start of its own.

const BAD_CODE = DEMO_BAD_RECORDS.unknownSupplyCode;
/** The supply use's external ID: the mapping's key `"supply_use_" & id`, safe characters only. */
const BAD_MOVE_XMLID = `${MODULE}.supply_use_${BAD_CODE.ref.split('/')[1]!.replace(/[^A-Za-z0-9_]/g, '_')}`;
const MAPPED_ITEM = SUPPLY_ITEMS[0]!;

/** Polls (bounded) until `probe` answers something other than null. */
async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(250);
  }
}

/**
 * The walk on a demo started as the integration user against a prepared Odoo: maps the code as
 * finance; once an administrator activates it, the blocked record lands in Odoo by itself.
 */
export async function walkOneClickFix(odoo: RealOdoo, running: RunningDemo): Promise<void> {
  const rpc = odoo.adminRpc;
  const passwords = demoPasswords(running.output());
  const admin = await HttpSession.signedIn(running.url, 'admin', passwords.admin);
  // The demo's own finance user, whose home page is the inbox.
  const finance = await HttpSession.signedIn(running.url, 'finance', passwords.finance);
  const flows = await admin.value<Flow[]>('flows.list', {});
  const supply = flows.find((flow) => flow.name === DEMO_FLOW_NAMES.supplyConsumption)!;

  // The supply flow runs to its end (the demo's schedule may have started it already).
  const queued = await admin.op('flows.runNow', { id: supply.id });
  expect([200, 409]).toContain(queued.status);
  await until(
    'the supply flow ends a run',
    async () => {
      const runs = await admin.value<Run[]>('runs.list', { flowId: supply.id, limit: 1 });
      const newest = runs[0];
      return newest !== undefined && FINISHED_RUN_STATUSES.includes(newest.status) ? newest : null;
    },
    180_000,
  );
  const inbox = await finance.value<ExceptionPage>('exceptions.list', { flowId: supply.id, limit: 50 });
  const blocked = inbox.items.find((item) => item.sourceId === BAD_CODE.ref);
  expect(blocked, JSON.stringify(inbox.items)).toBeDefined();
  expect(blocked).toMatchObject({ errorCode: 'mapping.unmapped-code', class: 'reference', state: 'open' });
  const otherOpen = inbox.items.filter((item) => item.id !== blocked!.id && item.state === 'open');
  expect((await externalIds(rpc)).has(BAD_MOVE_XMLID)).toBe(false);
  const movesBefore = await rpc.searchCount('stock.move', []);

  // One click: the code is mapped to a product Odoo knows, as a new draft (four-eyes applies).
  const target = SUPPLY_PRODUCTS[MAPPED_ITEM.code]!;
  const fix = await finance.value<ExceptionFix>('exceptions.mapCode', {
    id: blocked!.id,
    value: target,
    note: 'Unlisted item is the gauze the ward uses',
  });
  expect(fix).toMatchObject({ kind: 'map-code', state: 'awaiting-approval', code: BAD_CODE.code });
  expect(fix.mappingId).toBe(supply.mappingId);
  // Nothing goes to Odoo before the version is active; the finance user cannot approve it.
  expect(
    (await finance.op('mappings.approve', { id: fix.mappingId, version: fix.mappingVersion })).status,
  ).toBe(403);
  expect((await externalIds(rpc)).has(BAD_MOVE_XMLID)).toBe(false);

  await admin.value('mappings.approve', { id: fix.mappingId, version: fix.mappingVersion });
  await admin.value('mappings.activate', { id: fix.mappingId, version: fix.mappingVersion });

  // The blocked record is replayed by itself and resolved.
  const resolved = await until(
    'the blocked record is replayed and resolved',
    async () => {
      const detail = await finance.value<ExceptionDetail>('exceptions.get', { id: blocked!.id });
      return detail.state === 'resolved' ? detail : null;
    },
    120_000,
  );
  expect(resolved.resolvedByRun).not.toBeNull();
  const done = await until(
    'the fix reports its replay done',
    async () => {
      const fixes = await finance.value<ExceptionFix[]>('exceptions.fixes', { active: false });
      const mine = fixes.find((candidate) => candidate.id === fix.id);
      return mine?.state === 'done' ? mine : null;
    },
    30_000,
  );
  expect(done.progress).toMatchObject({ total: 1, resolved: 1, failed: 0, pending: 0 });

  // Odoo holds exactly one more stock move: the blocked supply use, with the mapped product.
  const xmlids = await externalIds(rpc);
  const moveId = idOf(xmlids, BAD_MOVE_XMLID, 'stock.move');
  const productId = idOf(xmlids, `${MODULE}.${productName(MAPPED_ITEM.code)}`, 'product.product');
  const [move] = (await readById(rpc, 'stock.move', [moveId], ['product_id', 'product_uom_qty'])).values();
  expect(m2oId(move?.product_id)).toBe(productId);
  expect(await rpc.searchCount('stock.move', [])).toBe(movesBefore + 1);

  // The other exceptions of the flow (another cause) were not touched.
  const after = await finance.value<ExceptionPage>('exceptions.list', { flowId: supply.id, limit: 50 });
  for (const other of otherOpen)
    expect(after.items.find((item) => item.id === other.id)?.state, other.sourceId).toBe('open');

  // The audit log names each step's operator.
  for (const [action, actor] of [
    ['exceptions.mapCode', 'finance'],
    ['mappings.approve', 'admin'],
    ['mappings.activate', 'admin'],
  ] as const) {
    const audit = await admin.value<AuditPage>('audit.list', { action, actor });
    expect(
      audit.entries.some((entry) => entry.outcome === 'ok'),
      `${action} by ${actor}`,
    ).toBe(true);
  }
}
