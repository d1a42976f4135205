import { setTimeout as sleep } from 'node:timers/promises';
import { loadView, withoutIds } from './normalize.js';
import type { ContractStep, RpcAnswer, StepContext, Who } from './replay.js';

/**
 * Contract steps about `load`: upsert by external id (created and updated records, their
 * create_date/write_date), every conversion error (with Odoo's help), save errors (required,
 * SQL constraint, access, model mismatch, the batch's own message, the 10-error cut-off) and the
 * call errors (unknown columns).
 */

export const M = 'osc_contract';

export function load(
  c: StepContext,
  who: Who,
  model: string,
  fields: string[],
  rows: unknown[][],
): Promise<RpcAnswer> {
  return c.kw(who, model, 'load', [fields, rows]);
}

/** One load-error step: the whole answer is compared, ids counted. */
function loadStep(
  name: string,
  about: string,
  who: Who,
  model: string,
  fields: string[],
  rows: unknown[][],
): ContractStep {
  return { name, about, run: (c) => load(c, who, model, fields, rows), view: loadView };
}

/** Partners of this contract, read back: values, and whether create_date equals write_date. */
function readPartners(name: string, about: string): ContractStep {
  return {
    name,
    about,
    run: (c) =>
      c.kw('integration', 'res.partner', 'search_read', [[['name', 'like', 'OSC Contract']]], {
        fields: ['name', 'email', 'is_company', 'type', 'country_id', 'create_date', 'write_date'],
      }),
    view: (answer: { result?: Record<string, unknown>[] }) => ({
      ...answer,
      result: withoutIds(
        answer.result?.map(({ create_date, write_date, ...row }) => ({
          ...row,
          createdOnly: create_date === write_date,
        })),
      ),
    }),
  };
}

const PARTNER = ['id', 'name', 'email', 'is_company', 'type'];

export const UPSERT_STEPS: readonly ContractStep[] = [
  loadStep('load-create', 'load creates records by external id', 'integration', 'res.partner', PARTNER, [
    [`${M}.p1`, 'OSC Contract One', 'one@example.com', 'false', 'contact'],
    [`${M}.p2`, 'OSC Contract Two', '', 'true', 'Invoice Address'],
    [`${M}.p3`, 'OSC Contract Three', 'three@example.com', '0', ''],
  ]),
  readPartners('read-created', 'created records: create_date equals write_date'),
  {
    name: 'pause',
    about: 'a second passes (timestamps are to the second)',
    run: async () => {
      await sleep(1100);
      return {};
    },
  },
  loadStep(
    'load-update',
    'load updates by external id and creates the new one',
    'integration',
    'res.partner',
    PARTNER,
    [
      [`${M}.p1`, 'OSC Contract One', 'one-changed@example.com', 'false', 'contact'],
      [`${M}.p2`, 'OSC Contract Two', '', 'true', 'invoice'],
      [`${M}.p4`, 'OSC Contract Four', '', 'no', 'contact'],
    ],
  ),
  readPartners('read-updated', 'every updated record has a new write_date, even unchanged'),
  {
    name: 'create-call',
    about: 'create: one transaction timestamp for create_date and write_date',
    run: async (c) => {
      const created = await c.kw('integration', 'res.partner', 'create', [
        [{ name: 'Created A' }, { name: 'Created B' }],
      ]);
      const ids = created.result as number[];
      return c.kw('integration', 'res.partner', 'read', [ids], {
        fields: ['name', 'create_date', 'write_date'],
      });
    },
    view: (answer: { result?: Record<string, unknown>[] }) =>
      answer.result?.map((row) => ({ name: row.name, stamped: row.create_date === row.write_date })),
  },
];

export const LOAD_ERROR_STEPS: readonly ContractStep[] = [
  loadStep(
    'load-bad-selection',
    'a selection value that does not exist',
    'integration',
    'res.partner',
    PARTNER,
    [[`${M}.s1`, 'OSC Selection', '', '', 'bogus']],
  ),
  loadStep(
    'load-bad-date',
    'a date that is not one',
    'integration',
    'account.move',
    ['id', 'move_type', 'invoice_date'],
    [
      [`${M}.d1`, 'out_invoice', '2024-13-45'],
      [`${M}.d2`, 'out_invoice', '01/02/2024'],
      [`${M}.d3`, 'out_invoice', '2024-02-30'],
    ],
  ),
  loadStep(
    'load-bad-numbers',
    'text in number fields',
    'integration',
    'res.partner',
    ['id', 'name', 'partner_latitude', 'customer_rank'],
    [[`${M}.n1`, 'OSC Number', 'abc', '1.5']],
  ),
  loadStep(
    'load-boolean-warning',
    'an unknown boolean word is a warning only',
    'integration',
    'res.partner',
    PARTNER,
    [[`${M}.b1`, 'OSC Contract Boolean', '', 'maybe', 'contact']],
  ),
  loadStep(
    'load-name-reference',
    'a reference by name that matches nothing',
    'integration',
    'res.partner',
    ['id', 'name', 'country_id'],
    [[`${M}.c1`, 'OSC Country', 'Atlantis']],
  ),
  loadStep(
    'load-name-reference-ok',
    'a reference by name',
    'integration',
    'res.partner',
    ['id', 'name', 'country_id'],
    [[`${M}.c2`, 'OSC Contract Belgian', 'Belgium']],
  ),
  loadStep(
    'load-unknown-xmlid',
    'an external id that does not exist (and the NOT NULL it leaves)',
    'integration',
    'stock.move',
    ['id', 'name', 'product_id/id', 'location_id/id', 'location_dest_id/id', 'product_uom_qty'],
    [[`${M}.m1`, 'Use', `${M}.gauze`, 'stock.stock_location_stock', 'stock.location_consumption', '2']],
  ),
  loadStep(
    'load-required',
    'a required reference left empty',
    'integration',
    'stock.move',
    ['id', 'name', 'product_id/id', 'location_id/id', 'location_dest_id/id'],
    [[`${M}.m2`, 'Use', '', 'stock.stock_location_stock', 'stock.stock_location_customers']],
  ),
  loadStep(
    'load-sql-constraint',
    'one bad record rejects the whole batch',
    'integration',
    'res.partner',
    ['id', 'name'],
    [
      [`${M}.k1`, 'OSC Contract Fine'],
      [`${M}.k2`, ''],
    ],
  ),
  loadStep(
    'load-recursive',
    "a UserError in the batch is repeated against the batch's first record",
    'integration',
    'res.partner',
    ['id', 'name', 'parent_id/id'],
    [
      [`${M}.p3`, 'OSC Contract Three', ''],
      [`${M}.p1`, 'OSC Contract One', `${M}.p1`],
    ],
  ),
  loadStep(
    'load-model-mismatch',
    'an external id of another model',
    'integration',
    'res.partner',
    ['id', 'name'],
    [['stock.stock_location_stock', 'Not a partner']],
  ),
  loadStep(
    'load-access-product',
    'no create right: a row message, not a call error',
    'integration',
    'product.product',
    ['id', 'name'],
    [[`${M}.x1`, 'Nope']],
  ),
  loadStep(
    'load-access-cutoff',
    'more than 10 save errors: cut off with a warning',
    'integration',
    'product.product',
    ['id', 'name'],
    Array.from({ length: 15 }, (_, index) => [`${M}.x${index}`, `Nope ${index}`]),
  ),
  loadStep(
    'load-conversion-all-rows',
    'conversion errors are reported for every row',
    'integration',
    'res.partner',
    PARTNER,
    Array.from({ length: 12 }, (_, index) => [`${M}.t${index}`, `OSC Type ${index}`, '', '', 'bogus']),
  ),
  loadStep(
    'load-unknown-field',
    'an unknown column is a KeyError of the call',
    'integration',
    'res.partner',
    ['id', 'name', 'no_such_field'],
    [[`${M}.u1`, 'X', 'y']],
  ),
  loadStep(
    'load-unknown-line-field',
    'an unknown line column is a KeyError too',
    'integration',
    'account.move',
    ['id', 'move_type', 'invoice_line_ids/nope'],
    [[`${M}.u2`, 'out_invoice', 'x']],
  ),
  loadStep(
    'load-line-unknown-xmlid',
    "a line's unknown reference is named after the lines' field",
    'integration',
    'account.move',
    ['id', 'move_type', 'partner_id/id', 'invoice_line_ids/product_id/id', 'invoice_line_ids/price_unit'],
    [[`${M}.u3`, 'out_invoice', `${M}.p1`, `${M}.nothing`, '1']],
  ),
];
