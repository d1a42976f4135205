import { setTimeout as sleep } from 'node:timers/promises';
import { loadView, withoutIds } from './normalize.js';
import type { ContractStep, RpcAnswer, StepContext } from './replay.js';
import { load, M } from './steps-load.js';

/**
 * Contract steps about stock and accounting: the products and the consumption location only an
 * administrator may create, stock moves into it, and invoices and bills: their numbers, posting
 * and what Odoo 17 still lets `load` and `write` do to a posted invoice.
 */

const INVOICE = [
  'id',
  'move_type',
  'partner_id/id',
  'invoice_date',
  'ref',
  'invoice_line_ids/name',
  'invoice_line_ids/quantity',
  'invoice_line_ids/price_unit',
];
const MOVE_FIELDS = [
  'name',
  'state',
  'move_type',
  'invoice_date',
  'partner_id',
  'amount_total',
  'invoice_line_ids',
  'ref',
];

/** The id a named load step gave its first record, on this server. */
function firstId(c: StepContext, step: string): number {
  const ids = c.result<{ ids: number[] | false }>(step).ids;
  if (!Array.isArray(ids) || ids[0] === undefined)
    throw new Error(`${c.target.name}: ${step} created nothing`);
  return ids[0];
}

function readMove(name: string, about: string, loadStep: string): ContractStep {
  return {
    name,
    about,
    run: (c) =>
      c.kw('integration', 'account.move', 'read', [[firstId(c, loadStep)]], { fields: MOVE_FIELDS }),
    view: (answer: { result?: unknown }) => ({ ...answer, result: withoutIds(answer.result) }),
  };
}

function onMove(
  name: string,
  about: string,
  loadStep: string,
  method: string,
  args: unknown[] = [],
): ContractStep {
  return {
    name,
    about,
    run: (c) => c.kw('integration', 'account.move', method, [[firstId(c, loadStep)], ...args]),
  };
}

export const SETUP_STEPS: readonly ContractStep[] = [
  {
    name: 'admin-load-product',
    about: 'an administrator loads a storable product',
    run: (c) =>
      load(
        c,
        'admin',
        'product.product',
        ['id', 'name', 'default_code', 'detailed_type'],
        [[`${M}.gauze`, 'Gauze', 'SUP-GAUZE', 'product']],
      ),
    view: loadView,
  },
];

export const STOCK_STEPS: readonly ContractStep[] = [
  {
    name: 'admin-load-location',
    about: 'an administrator creates the consumption location with an external id of its own',
    run: (c) =>
      load(
        c,
        'admin',
        'stock.location',
        ['id', 'name', 'usage', 'location_id/id'],
        [[`${M}.consumption`, 'Clinic consumption', 'inventory', 'stock.stock_location_locations_virtual']],
      ),
    view: loadView,
  },
  {
    name: 'read-location',
    about: 'the new location reads back with its full name',
    run: (c) =>
      c.kw('integration', 'stock.location', 'search_read', [[['name', '=', 'Clinic consumption']]], {
        fields: ['name', 'complete_name', 'usage', 'location_id', 'active'],
      }),
    view: (answer: { result?: unknown }) => ({ ...answer, result: withoutIds(answer.result) }),
  },
  {
    name: 'load-stock-move',
    about: 'the integration user loads a stock move into it',
    run: (c) =>
      load(
        c,
        'integration',
        'stock.move',
        ['id', 'name', 'product_id/id', 'location_id/id', 'location_dest_id/id', 'product_uom_qty'],
        [[`${M}.use1`, 'Supply use', `${M}.gauze`, 'stock.stock_location_stock', `${M}.consumption`, '3']],
      ),
    view: loadView,
  },
  {
    name: 'read-stock-move',
    about: 'the move reads back in draft with its locations',
    run: (c) =>
      c.kw('integration', 'stock.move', 'read', [[firstId(c, 'load-stock-move')]], {
        fields: ['name', 'state', 'product_id', 'product_uom_qty', 'location_id', 'location_dest_id'],
      }),
    view: (answer: { result?: unknown }) => ({ ...answer, result: withoutIds(answer.result) }),
  },
];

export const INVOICE_STEPS: readonly ContractStep[] = [
  {
    name: 'load-invoice',
    about: 'a customer invoice with one line',
    run: (c) =>
      load(c, 'integration', 'account.move', INVOICE, [
        [`${M}.inv1`, 'out_invoice', `${M}.p1`, '2024-05-01', 'ENC-1', 'Consultation', '1', '22.00'],
      ]),
    view: loadView,
  },
  readMove('read-invoice-draft', 'the first invoice of the journal is numbered as a draft', 'load-invoice'),
  onMove('post-invoice', 'action_post answers false', 'load-invoice', 'action_post'),
  readMove('read-invoice-posted', 'posted', 'load-invoice'),
  {
    name: 'load-posted-change',
    about: 'load changes a posted invoice (no lock date): it adds the line and stays posted',
    run: (c) =>
      load(c, 'integration', 'account.move', INVOICE, [
        [`${M}.inv1`, 'out_invoice', `${M}.p1`, '2024-05-01', 'ENC-1', 'Consultation', '1', '23.00'],
      ]),
    view: loadView,
  },
  readMove('read-invoice-changed', 'the posted invoice, changed', 'load-invoice'),
  onMove('write-posted', 'write changes a posted invoice', 'load-invoice', 'write', [
    { ref: 'ENC-1 changed' },
  ]),
  onMove('repost', 'posting a posted invoice', 'load-invoice', 'action_post'),
  onMove('unlink-posted', 'deleting a posted invoice', 'load-invoice', 'unlink'),
  onMove('draft-posted', 'button_draft answers None: no result', 'load-invoice', 'button_draft'),
  readMove('read-invoice-reset', 'back in draft, keeping its number', 'load-invoice'),
  {
    name: 'load-invoice-2',
    about: 'a second invoice',
    run: (c) =>
      load(c, 'integration', 'account.move', INVOICE, [
        [`${M}.inv2`, 'out_invoice', `${M}.p2`, '2024-05-02', 'ENC-2', 'Dressing', '2', '5'],
      ]),
    view: loadView,
  },
  readMove('read-invoice-2', 'later drafts show "/"', 'load-invoice-2'),
  onMove('post-invoice-2', 'posting it numbers it', 'load-invoice-2', 'action_post'),
  readMove('read-invoice-2-posted', 'the next number of the year', 'load-invoice-2'),
  {
    name: 'load-bill',
    about: 'a vendor bill',
    run: (c) =>
      load(c, 'integration', 'account.move', INVOICE, [
        [`${M}.bill1`, 'in_invoice', `${M}.p2`, '2024-07-02', 'SUP-1', 'Gauze box', '4', '2.5'],
      ]),
    view: loadView,
  },
  readMove('read-bill', 'bills are numbered per month', 'load-bill'),
  {
    name: 'load-bill-no-date',
    about: 'a vendor bill without a date',
    run: (c) =>
      load(c, 'integration', 'account.move', INVOICE, [
        [`${M}.bill2`, 'in_invoice', `${M}.p2`, '', 'SUP-2', 'Gauze box', '1', '2.5'],
      ]),
    view: loadView,
  },
  onMove('post-bill-no-date', 'a bill needs its date to be posted', 'load-bill-no-date', 'action_post'),
  {
    name: 'load-invoice-no-partner',
    about: 'an invoice without a customer',
    run: (c) =>
      load(c, 'integration', 'account.move', INVOICE, [
        [`${M}.inv3`, 'out_invoice', '', '2024-05-03', 'ENC-3', 'X', '1', '1'],
      ]),
    view: loadView,
  },
  onMove(
    'post-invoice-no-partner',
    'an invoice needs its customer to be posted',
    'load-invoice-no-partner',
    'action_post',
  ),
  {
    name: 'load-invoice-no-line',
    about: 'an invoice without lines',
    run: (c) =>
      load(
        c,
        'integration',
        'account.move',
        ['id', 'move_type', 'partner_id/id', 'invoice_date'],
        [[`${M}.inv4`, 'out_invoice', `${M}.p1`, '2024-05-04']],
      ),
    view: loadView,
  },
  onMove(
    'post-invoice-no-line',
    'an invoice needs a line to be posted',
    'load-invoice-no-line',
    'action_post',
  ),
];

const OVERLAP_SIZE = 200;
const overlapRows = (tag: string): unknown[][] =>
  Array.from({ length: OVERLAP_SIZE }, (_, index) => [
    `${M}.ov${index}`,
    `OSC Overlap ${index} ${tag}`,
    `${tag}${index}@example.com`,
  ]);

/** The answer's outcome only: how many ids, and the messages. */
function outcome(answer: RpcAnswer): unknown {
  const result = answer.result as { ids?: unknown; messages?: unknown } | undefined;
  return result === undefined
    ? answer
    : { ids: Array.isArray(result.ids) ? result.ids.length : result.ids, messages: result.messages };
}

export const CONCURRENCY_STEPS: readonly ContractStep[] = [
  {
    name: 'bench-call',
    about: '10 trivial ORM calls, one after the other (timed)',
    run: async (c) => {
      const answers: RpcAnswer[] = [];
      for (let index = 0; index < 10; index += 1)
        answers.push(await c.kw('integration', 'res.partner', 'search_count', [[['id', '=', 1]]]));
      return { answers };
    },
  },
  {
    name: 'bench-create',
    about: `load creates ${OVERLAP_SIZE} partners (timed)`,
    run: (c) => load(c, 'admin', 'res.partner', ['id', 'name', 'email'], overlapRows('a')),
    view: loadView,
  },
  {
    name: 'bench-update',
    about: `load updates ${OVERLAP_SIZE} partners (timed)`,
    run: (c) => load(c, 'admin', 'res.partner', ['id', 'name', 'email'], overlapRows('b')),
    view: loadView,
  },
  {
    name: 'bench-invoices',
    about: 'load creates 20 invoices with one line each (timed)',
    run: (c) =>
      load(
        c,
        'admin',
        'account.move',
        INVOICE,
        Array.from({ length: 20 }, (_, index) => [
          `${M}.binv${index}`,
          'out_invoice',
          `${M}.p1`,
          '2024-06-01',
          `B-${index}`,
          'Line',
          '1',
          '3',
        ]),
      ),
    view: loadView,
  },
  {
    name: 'overlap',
    about: 'two overlapping loads on the same records: the second fails to serialize, row by row',
    run: async (c) => {
      const first = load(c, 'admin', 'res.partner', ['id', 'name', 'email'], overlapRows('c'));
      await sleep(150);
      const second = load(c, 'admin', 'res.partner', ['id', 'name', 'email'], overlapRows('d'));
      return { first: await first, second: await second };
    },
    view: (answer: { first: RpcAnswer; second: RpcAnswer }) => ({
      first: outcome(answer.first),
      second: outcome(answer.second),
    }),
  },
];
