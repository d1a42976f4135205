import { describe, expect, it } from 'vitest';
import { buildLoadTable, loadResultSchema, rowErrors } from '../../../main/connectors/odoo/load-batch.js';
import { fixtureJson } from './fixtures.js';

/** Building Odoo's import table and reading its per-row messages back. */

type ExecuteKw = { params: { args: [string, number, string, string, string, [string[], unknown[][]]] } };

describe('buildLoadTable', () => {
  it('builds the recorded invoice-with-lines table, plus an external id per line', () => {
    const recorded = fixtureJson<ExecuteKw>('load_invoice_with_lines.req.json').params.args[5];
    const table = buildLoadTable([
      {
        externalId: 'osc_demo.inv_enc_9001',
        payload: {
          move_type: 'out_invoice',
          'partner_id/id': 'osc_demo.patient_1001',
          invoice_date: '2026-11-20',
          ref: 'ENC-9001',
          invoice_line_ids: [
            { 'product_id/id': 'osc_demo.supply_gauze', quantity: 4, price_unit: 0.5 },
            { 'product_id/id': 'osc_demo.supply_syringe', quantity: 2, price_unit: 0.3 },
          ],
        },
      },
    ]);
    const lineIdColumn = table.fields.indexOf('invoice_line_ids/id');
    expect(lineIdColumn).toBeGreaterThan(0);
    const withoutLineIds = {
      fields: table.fields.filter((_, index) => index !== lineIdColumn),
      rows: table.rows.map((row) => row.filter((_, index) => index !== lineIdColumn)),
    };
    expect(withoutLineIds).toEqual({ fields: recorded[0], rows: recorded[1] });
    expect(table.rows.map((row) => row[lineIdColumn])).toEqual([
      'osc_demo.inv_enc_9001_invoice_line_ids_1',
      'osc_demo.inv_enc_9001_invoice_line_ids_2',
    ]);
    expect(table.recordStartRows).toEqual([0]);
  });

  it('builds the recorded partner upsert table', () => {
    const recorded = fixtureJson<ExecuteKw>('load_partner_upsert.req.json').params.args[5];
    const table = buildLoadTable([
      {
        externalId: 'osc_demo.patient_1001',
        payload: { name: 'Jane Roe', email: 'jane@example.org', ref: 'MRN-1001' },
      },
      {
        externalId: 'osc_demo.patient_1002',
        payload: { name: 'John Doe', email: 'john@example.org', ref: 'MRN-1002' },
      },
    ]);
    expect([table.fields, table.rows]).toEqual(recorded);
  });

  it('unions columns across records, keeps line rows under their record, and writes import text', () => {
    const table = buildLoadTable([
      {
        externalId: 'm.a',
        payload: { name: 'A', active: true, lines: [{ qty: 1 }, { qty: 2 }, { qty: 3 }] },
      },
      { externalId: 'm.b', payload: { name: 'B', note: null, flag: false, extra: { x: 1 } } },
    ]);
    expect(table.fields).toEqual(['id', 'name', 'active', 'note', 'flag', 'extra', 'lines/id', 'lines/qty']);
    expect(table.recordStartRows).toEqual([0, 3]);
    expect(table.rows[1]).toEqual(['', '', '', '', '', '', 'm.a_lines_2', 2]);
    expect(table.rows[3]).toEqual(['m.b', 'B', '', '', 'false', '{"x":1}', '', '']);
    expect(table.rows[0]?.[2]).toBe('true');
  });
});

describe('rowErrors', () => {
  it('maps the recorded rejected batch to the failing record', () => {
    const { result } = fixtureJson<{ result: unknown }>('load_row_error_whole_batch_rejected.resp.json');
    const errors = rowErrors(loadResultSchema.parse(result), [0, 1]);
    expect([...errors]).toEqual([
      [1, { class: 'permanent', code: 'odoo.load-row', message: "'Contacts require a name'" }],
    ]);
  });

  it('names the field of an unknown external-id reference', () => {
    const { result } = fixtureJson<{ result: unknown }>('load_unknown_xmlid_reference.resp.json');
    expect(rowErrors(loadResultSchema.parse(result), [0]).get(0)).toEqual({
      class: 'permanent',
      code: 'odoo.unknown-reference',
      message: "country_id: No matching record found for external id 'base.nonexistent' in field 'Country'",
    });
  });

  it('files concurrent-update rows as transient and a missing right per row as an access error', () => {
    const errors = rowErrors(
      {
        ids: false,
        messages: [
          {
            rows: { from: 0, to: 0 },
            record: 0,
            type: 'error',
            message: 'could not serialize access due to concurrent update\n',
          },
          {
            rows: { from: 1, to: 1 },
            record: 1,
            type: 'error',
            message: "You are not allowed to create 'Product Variant' (product.product) records.",
          },
        ],
      },
      [0, 1],
    );
    expect([...errors]).toEqual([
      [
        0,
        {
          class: 'transient',
          code: 'odoo.concurrency',
          message: 'could not serialize access due to concurrent update',
        },
      ],
      [
        1,
        {
          class: 'authentication',
          code: 'odoo.AccessError',
          message: "You are not allowed to create 'Product Variant' (product.product) records.",
        },
      ],
    ]);
  });

  it('uses row ranges when records span several rows, and joins several messages of one record', () => {
    const errors = rowErrors(
      {
        ids: false,
        messages: [
          { type: 'error', message: 'first', rows: { from: 4, to: 4 } },
          { type: 'error', message: 'second', rows: { from: 5, to: 5 } },
          { type: 'warning', message: 'ignored', rows: { from: 0, to: 0 } },
          { type: 'error', message: 'nowhere' },
        ],
      },
      [0, 3, 6],
    );
    expect([...errors]).toEqual([
      [1, { class: 'permanent', code: 'odoo.load-row', message: 'first; second' }],
    ]);
  });
});
