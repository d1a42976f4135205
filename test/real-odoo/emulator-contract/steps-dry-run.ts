import { loadView, withoutIds } from './normalize.js';
import type { ContractStep } from './replay.js';
import { load, M } from './steps-load.js';

/**
 * Contract steps of the shadow runs' dry-run (main/connectors/odoo/dry-run-load.ts): a `load` whose
 * first row is a guard naming an external id of another model (`base.us`). Odoo saves every other
 * row in its own savepoint, reports the refused ones, and rolls everything back: the partners read
 * afterwards are the ones before, and no invoice was created.
 */
const PARTNER = ['id', 'name', 'email', 'is_company', 'type'];

function readBack(name: string): ContractStep {
  return {
    name,
    about: 'nothing of the guarded loads was kept',
    run: async (c) => {
      const partners = await c.kw('integration', 'res.partner', 'search_read', [[['name', 'like', 'OSC ']]], {
        fields: ['name', 'email', 'is_company', 'type'],
        order: 'name',
      });
      const invoices = await c.kw('integration', 'account.move', 'search_count', [
        [['ref', '=', 'OSC shadow']],
      ]);
      return { result: { partners: partners.result, invoices: invoices.result } };
    },
    view: (answer: { result?: { partners?: unknown; invoices?: unknown } }) => ({
      partners: withoutIds(answer.result?.partners),
      invoices: answer.result?.invoices,
    }),
  };
}

export const DRY_RUN_STEPS: readonly ContractStep[] = [
  readBack('dry-run-before'),
  {
    name: 'dry-run-guarded-partners',
    about: 'guard first; an update, a creation and a bad selection value: each row answered, all rolled back',
    run: (c) =>
      load(c, 'integration', 'res.partner', PARTNER, [
        ['base.us', '', '', '', ''],
        [`${M}.p1`, 'OSC Shadow Renamed', 'renamed@example.com', 'false', 'contact'],
        [`${M}.shadow_new`, 'OSC Shadow New', '', 'false', 'contact'],
        [`${M}.shadow_bad`, 'OSC Shadow Bad', '', 'false', 'bogus'],
      ]),
    view: loadView,
  },
  {
    name: 'dry-run-guarded-invoice',
    about: 'an invoice with a line behind the guard: checked, not kept',
    run: (c) =>
      load(
        c,
        'integration',
        'account.move',
        ['id', 'move_type', 'ref', 'partner_id/id', 'invoice_line_ids/name', 'invoice_line_ids/price_unit'],
        [
          ['base.us', '', '', '', '', ''],
          [`${M}.shadow_inv`, 'out_invoice', 'OSC shadow', `${M}.p1`, 'Consultation', '40'],
          [`${M}.shadow_inv2`, 'out_invoice', 'OSC shadow', `${M}.nobody`, 'Consultation', '40'],
        ],
      ),
    view: loadView,
  },
  readBack('dry-run-after'),
];
