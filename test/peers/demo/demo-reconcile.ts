import type { FlowReconcileInput } from '../../../shared/domain/flow-reconcile.js';

/**
 * The demo's service charges reconcile (issue 12): per month, the customer invoices in Odoo
 * (count, untaxed amount by invoice date) against what the flow wrote (the mapped lines' quantity ×
 * unit price) and against the ChargeItems the EHR holds for that month (`occurrence`), looking three
 * months back. `ref` carries the ChargeItem id, so a hand-made copy of an invoice is a duplicate.
 */
export function serviceChargesReconcile(schedules: 'cron' | 'manual'): FlowReconcileInput {
  return {
    period: 'month',
    targetDateField: 'invoice_date',
    targetAmountField: 'amount_untaxed',
    payloadDate: 'invoice_date',
    payloadAmount: '$sum(invoice_line_ids.(quantity * price_unit))',
    targetDomain: [['move_type', '=', 'out_invoice']],
    keyField: 'ref',
    sourceDateParam: 'occurrence',
    lookbackPeriods: 3,
    ...(schedules === 'cron' ? { schedule: '*/15 * * * *' } : {}),
  };
}
