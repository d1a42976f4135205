import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN_UID,
  DEMO_UID,
  REAL_ODOO17_LATENCY,
  startOdooEmulator,
  type OdooEmulator,
} from '../../peers/odoo/index.js';

/**
 * The emulator's `load` and timestamps as the real Odoo 17 has them (each case was checked against
 * the real server, see test/real-odoo/emulator-contract.test.ts): conversion errors for every row
 * with Odoo's help, save errors with the batch's own message and the 10-error cut-off, access as
 * row messages, and create_date equal to write_date on create (one transaction timestamp).
 */

let emulator: OdooEmulator;
/** A clock that moves one second each time it is read: any second reading shows in a timestamp. */
let ticks = 0;
beforeEach(async () => {
  ticks = 0;
  emulator = await startOdooEmulator({
    clock: () => new Date(Date.UTC(2026, 0, 1, 0, 0, (ticks += 1))),
  });
});
afterEach(async () => {
  await emulator.close();
});

interface Answer {
  result?: { ids: number[] | false; messages: Record<string, unknown>[] } & Record<string, unknown>;
  error?: { data: { name: string; message: string } };
}

async function kw(model: string, method: string, args: unknown[], uid = ADMIN_UID): Promise<Answer> {
  const response = await fetch(`${emulator.url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      method: 'call',
      id: 1,
      params: {
        service: 'object',
        method: 'execute_kw',
        args: ['odoo17', uid, uid === DEMO_UID ? 'demo' : 'admin', model, method, args, {}],
      },
    }),
    signal: AbortSignal.timeout(5000),
  });
  return (await response.json()) as Answer;
}

const load = (model: string, fields: string[], rows: unknown[][], uid = ADMIN_UID): Promise<Answer> =>
  kw(model, 'load', [fields, rows], uid);

describe('load conversion errors', () => {
  it('reports every bad cell of every row with the field, its label and Odoo help', async () => {
    const answer = await load(
      'res.partner',
      ['id', 'name', 'type', 'is_company'],
      [
        ['t.p1', 'A', 'bogus', 'maybe'],
        ['t.p2', 'B', 'Invoice Address', 'yes'],
      ],
    );
    expect(answer.result).toEqual({
      ids: false,
      nextrow: 0,
      messages: [
        {
          rows: { from: 0, to: 0 },
          record: 0,
          type: 'error',
          field: 'type',
          field_name: 'Address Type',
          message: "Value 'bogus' not found in selection field 'Address Type'",
          moreinfo: ['Contact', 'Invoice Address', 'Delivery Address', 'Other Address'],
        },
        {
          rows: { from: 0, to: 0 },
          record: 0,
          type: 'error',
          field: 'is_company',
          field_name: 'Is a Company',
          message: "Unknown value 'maybe' for boolean field 'Is a Company'",
          moreinfo: "Use '1' for yes and '0' for no",
        },
      ],
    });
    const dates = await load('account.move', ['id', 'invoice_date'], [['t.m1', '2024-02-30']]);
    expect(dates.result?.messages).toEqual([
      expect.objectContaining({
        field: 'invoice_date',
        message: "'2024-02-30' does not seem to be a valid date for field 'Invoice/Bill Date'",
        moreinfo: "Use the format '2012-12-31'",
      }),
    ]);
  });

  it('still saves a record whose reference did not convert, and reports the first NOT NULL it meets', async () => {
    const answer = await load(
      'stock.move',
      ['id', 'name', 'product_id/id', 'location_id/id', 'location_dest_id/id'],
      [['t.m1', 'Use', '', 'stock.stock_location_stock', 'stock.location_consumption']],
    );
    expect(answer.result?.messages.map((message) => [message.field, message.message])).toEqual([
      [
        'location_dest_id',
        "No matching record found for external id 'stock.location_consumption' in field 'Destination Location'",
      ],
      ['product_id', "Missing required value for the field 'Product' (product_id)"],
    ]);
  });
});

describe('load save errors', () => {
  it("repeats a UserError of the batch against the batch's first record", async () => {
    await load('res.partner', ['id', 'name'], [['t.p1', 'One']]);
    const answer = await load(
      'res.partner',
      ['id', 'name', 'parent_id/id'],
      [
        ['t.p2', 'Two', ''],
        ['t.p1', 'One', 't.p1'],
      ],
    );
    expect(answer.result?.messages).toEqual([
      {
        rows: { from: 0, to: 0 },
        record: 0,
        type: 'error',
        message: 'You cannot create recursive Partner hierarchies.',
      },
      {
        rows: { from: 1, to: 1 },
        record: 1,
        type: 'error',
        message: 'You cannot create recursive Partner hierarchies.',
      },
    ]);
  });

  it('answers a missing right per row, and stops after 10 such errors', async () => {
    const rows = Array.from({ length: 15 }, (_, index) => [`t.x${index}`, `Product ${index}`]);
    const answer = await load('product.product', ['id', 'name'], rows, DEMO_UID);
    expect(answer.error).toBeUndefined();
    const messages = answer.result?.messages ?? [];
    expect(messages).toHaveLength(11);
    expect(messages[0]?.message).toMatch(
      /^You are not allowed to create 'Product Variant' \(product.product\)/,
    );
    expect(messages[10]).toEqual({
      type: 'warning',
      message:
        'Found more than 10 errors and more than one error per 10 records, interrupted to avoid showing too many errors.',
    });
  });

  it('loads with external ids for a user who cannot read ir.model.data', async () => {
    const answer = await load(
      'res.partner',
      ['id', 'name', 'country_id/id'],
      [['t.p9', 'Nine', 'base.be']],
      DEMO_UID,
    );
    expect(answer.result).toMatchObject({ ids: [expect.any(Number)], messages: [] });
    expect((await kw('ir.model.data', 'search', [[]], DEMO_UID)).error?.data.name).toBe(
      'odoo.exceptions.AccessError',
    );
  });
});

describe('timestamps', () => {
  const stamps = async (ids: number[]) =>
    (await kw('res.partner', 'read', [ids, ['create_date', 'write_date']])).result as unknown as {
      create_date: string;
      write_date: string;
    }[];

  it('stamps create_date and write_date of one call with one transaction time', async () => {
    const created = await load(
      'res.partner',
      ['id', 'name'],
      [
        ['t.a', 'A'],
        ['t.b', 'B'],
        ['t.c', 'C'],
      ],
    );
    const ids = created.result?.ids as number[];
    const rows = await stamps(ids);
    expect(new Set(rows.flatMap((row) => [row.create_date, row.write_date])).size).toBe(1);
    const single = (await kw('res.partner', 'create', [{ name: 'D' }])).result as unknown as number;
    const [row] = await stamps([single]);
    expect(row?.write_date).toBe(row?.create_date);
  });

  it('moves write_date on every update, changed or not', async () => {
    const created = await load('res.partner', ['id', 'name'], [['t.a', 'A']]);
    const [before] = await stamps(created.result?.ids as number[]);
    await load('res.partner', ['id', 'name'], [['t.a', 'A']]);
    const [after] = await stamps(created.result?.ids as number[]);
    expect(after?.create_date).toBe(before?.create_date);
    expect(after!.write_date > before!.write_date).toBe(true);
  });
});

describe('latency', () => {
  it('takes at least what REAL_ODOO17_LATENCY says: a call, created and updated records, invoices', async () => {
    const slow = await startOdooEmulator({ latency: REAL_ODOO17_LATENCY });
    const previous = emulator;
    emulator = slow;
    try {
      const timed = async (work: () => Promise<unknown>): Promise<number> => {
        const started = performance.now();
        await work();
        return performance.now() - started;
      };
      const rows = Array.from({ length: 20 }, (_, index) => [`t.l${index}`, `Latency ${index}`]);
      expect(await timed(() => load('res.partner', ['id', 'name'], rows))).toBeGreaterThanOrEqual(
        37 + 20 * 3,
      );
      expect(await timed(() => load('res.partner', ['id', 'name'], rows))).toBeGreaterThanOrEqual(
        37 + 20 * 13,
      );
      const invoices = rows.map(([xmlid]) => [`${String(xmlid)}i`, 'out_invoice', 'Line', '1']);
      const fields = ['id', 'move_type', 'invoice_line_ids/name', 'invoice_line_ids/price_unit'];
      expect(await timed(() => load('account.move', fields, invoices))).toBeGreaterThanOrEqual(37 + 20 * 30);
    } finally {
      emulator = previous;
      await slow.close();
    }
  });
});
