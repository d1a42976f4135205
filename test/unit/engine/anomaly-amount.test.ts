import { describe, expect, it } from 'vitest';
import { sumOf } from '../../../main/engine/anomaly/anomaly-watch.js';

/** A batch's amount (issue 12): the amount field summed over the staged payloads, through lists. */
describe('anomaly batch amount', () => {
  const staged = (...payloads: unknown[]) => payloads.map((p) => ({ payload_json: JSON.stringify(p) }));

  it('sums a top-level field, numbers given as text included, missing ones as 0', () => {
    expect(sumOf(staged({ amount: 10 }, { amount: '2.5' }, {}, { amount: 'n/a' }), ['amount'])).toBe(12.5);
  });

  it('sums every item of a list on the path (an invoice line each)', () => {
    const invoice = (...prices: number[]) => ({ invoice_line_ids: prices.map((p) => ({ price_unit: p })) });
    expect(sumOf(staged(invoice(65, 40), invoice(90)), ['invoice_line_ids', 'price_unit'])).toBe(195);
  });
});
