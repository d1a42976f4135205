import { describe, expect, it } from 'vitest';
import { dryRunLoad, GUARDED_BATCH, guardExternalId } from '../../../main/connectors/odoo/dry-run-load.js';
import type { OrmCaller } from '../../../main/connectors/odoo/orm-caller.js';

/**
 * How a guarded load's answer becomes one verdict per write. The answers are shaped as Odoo 17/19
 * give them (see the real-Odoo test test/real-odoo/shadow-run.test.ts for the server itself): the
 * guard's ValidationError reported on row 0, row errors by `rows.from`, `ids: false`.
 */
const guardMessage = (model: string) => ({
  type: 'error',
  rows: { from: 0, to: 0 },
  record: 0,
  message: `For external id ${guardExternalId(model)} when trying to create/update a record of model ${model} found record of different model res.country (12)`,
});

function caller(answer: (rows: unknown[][]) => unknown, seen: unknown[][][] = []): OrmCaller {
  return (_model, method, args) => {
    expect(method).toBe('load');
    const rows = (args as [string[], unknown[][]])[1];
    seen.push(rows);
    return Promise.resolve(answer(rows));
  };
}

const writes = (n: number) =>
  Array.from({ length: n }, (_, index) => ({ key: `charge_${index}`, payload: { ref: `c${index}` } }));

describe('guarded dry-run load', () => {
  it('puts the guard first and attributes row errors to the right write', async () => {
    const seen: unknown[][][] = [];
    const verdicts = await dryRunLoad(
      caller(
        () => ({
          ids: false,
          messages: [
            guardMessage('account.move'),
            { type: 'error', rows: { from: 2, to: 2 }, record: 2, message: 'Wrong value for move_type' },
          ],
        }),
        seen,
      ),
      'account.move',
      'osc',
      writes(3),
    );
    expect(seen[0]?.[0]?.[0]).toBe('base.us');
    expect(seen[0]?.[1]?.[0]).toBe('osc.charge_0');
    expect(verdicts).toEqual([
      { ok: true },
      {
        ok: false,
        error: { class: 'permanent', code: 'odoo.load-row', message: 'Wrong value for move_type' },
      },
      { ok: true },
    ]);
  });

  it('sends at most GUARDED_BATCH rows per load, so Odoo never stops at 10 errors', async () => {
    const seen: unknown[][][] = [];
    await dryRunLoad(
      caller(() => ({ ids: false, messages: [guardMessage('res.partner')] }), seen),
      'res.partner',
      'osc',
      writes(20),
    );
    expect(seen.map((rows) => rows.length)).toEqual([
      GUARDED_BATCH + 1,
      GUARDED_BATCH + 1,
      20 - 2 * GUARDED_BATCH + 1,
    ]);
    expect(GUARDED_BATCH).toBeLessThan(10);
  });

  it('refuses to trust an answer where the guard did not fail or Odoo kept ids', async () => {
    await expect(
      dryRunLoad(
        caller(() => ({ ids: [1, 2], messages: [] })),
        'res.partner',
        'osc',
        writes(1),
      ),
    ).rejects.toThrow(/not rolled back/);
    await expect(
      dryRunLoad(
        caller(() => ({ ids: false, messages: [] })),
        'res.partner',
        'osc',
        writes(1),
      ),
    ).rejects.toThrow(/did not refuse the guard/);
  });

  it('uses another guard when the target is the guard model itself', () => {
    expect(guardExternalId('res.country')).toBe('base.main_partner');
    expect(guardExternalId('account.move')).toBe('base.us');
  });
});
