import { describe, expect, it } from 'vitest';
import { loadInRounds, type LoadItem } from '../../../main/connectors/odoo/load-rounds.js';
import type { OrmCaller } from '../../../main/connectors/odoo/orm-caller.js';

/**
 * `load` rounds against scripted answers in real Odoo 17's shapes: rows that met a concurrent
 * update are sent again after a backoff (never filed as permanent), bad rows are split off, and
 * the retry is bounded and abortable.
 */

const SERIALIZATION = 'could not serialize access due to concurrent update\n';

/** What real Odoo 17 answered the second of two overlapping loads (test/real-odoo): ≤ 10 rows. */
function collided(rows: number): unknown {
  const named = Math.min(rows, 10);
  return {
    ids: false,
    messages: [
      ...Array.from({ length: named }, (_, row) => ({
        rows: { from: row, to: row },
        record: row,
        type: 'error',
        message: SERIALIZATION,
      })),
      ...(rows > 10
        ? [{ type: 'warning', message: 'Found more than 10 errors and more than one error per 10 records' }]
        : []),
    ],
    nextrow: 0,
  };
}

const landed = (count: number, first = 100) => ({
  ids: Array.from({ length: count }, (_, index) => first + index),
  messages: [],
  nextrow: 0,
});

function scripted(answers: ((table: unknown[][]) => unknown)[]): { call: OrmCaller; tables: unknown[][][] } {
  const tables: unknown[][][] = [];
  const call: OrmCaller = (_model, method, args) => {
    if (method !== 'load') throw new Error(`unexpected ${method}`);
    const table = args[1] as unknown[][];
    tables.push(table);
    const answer = answers[tables.length - 1];
    return answer === undefined
      ? Promise.reject(new Error('no more answers'))
      : Promise.resolve(answer(table));
  };
  return { call, tables };
}

const items = (count: number): LoadItem[] =>
  Array.from({ length: count }, (_, index) => ({
    externalId: `osc_sync.p_${index}`,
    payload: { name: `P ${index}` },
  }));

const fast = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 };

describe('loadInRounds', () => {
  it('sends the batch again after rows met a concurrent update, and lands it', async () => {
    const { call, tables } = scripted([() => collided(30), (table) => landed(table.length)]);
    const retries: unknown[] = [];
    const results = await loadInRounds(call, items(30), {
      model: 'res.partner',
      concurrencyRetry: fast,
      onConcurrencyRetry: (details) => retries.push(details),
    });
    expect(results.every((result) => result.ok)).toBe(true);
    expect(results.map((result) => (result.ok ? result.id : 0))).toEqual(landed(30).ids);
    expect(tables).toHaveLength(2);
    expect(tables[1]).toEqual(tables[0]);
    expect(retries).toEqual([
      { model: 'res.partner', attempt: 1, rows: 10, delayMs: expect.any(Number) as unknown },
    ]);
  });

  it('reports every record as transient when the collisions outlast the bounded attempts', async () => {
    const { call, tables } = scripted(Array.from({ length: 10 }, () => () => collided(12)));
    const results = await loadInRounds(call, items(12), { model: 'res.partner', concurrencyRetry: fast });
    expect(tables).toHaveLength(4); // the first try and three more
    expect(results.every((result) => !result.ok && result.error.class === 'transient')).toBe(true);
    expect(results[0]).toEqual({
      ok: false,
      error: {
        class: 'transient',
        code: 'odoo.concurrency',
        message: 'could not serialize access due to concurrent update',
      },
    });
    // Rows Odoo did not name were not written either (it rolled the whole load back).
    expect(results[11]).toMatchObject({
      ok: false,
      error: {
        class: 'transient',
        code: 'odoo.concurrency',
        message: expect.stringMatching(/^Not written/) as unknown,
      },
    });
  });

  it('files a bad row as permanent and retries the colliding rest without it', async () => {
    const { call, tables } = scripted([
      () => ({
        ids: false,
        messages: [
          { rows: { from: 1, to: 1 }, type: 'error', message: "'Contacts require a name'" },
          { rows: { from: 2, to: 2 }, type: 'error', message: SERIALIZATION },
        ],
      }),
      (table) => landed(table.length),
    ]);
    const results = await loadInRounds(call, items(4), { model: 'res.partner', concurrencyRetry: fast });
    expect(results.map((result) => result.ok)).toEqual([true, false, true, true]);
    expect(results[1]).toEqual({
      ok: false,
      error: { class: 'permanent', code: 'odoo.load-row', message: "'Contacts require a name'" },
    });
    expect(tables[1]?.map((row) => row[0])).toEqual(['osc_sync.p_0', 'osc_sync.p_2', 'osc_sync.p_3']);
  });

  it('keeps the permanent class for a row with a data error and a collision', async () => {
    const { call } = scripted([
      () => ({
        ids: false,
        messages: [
          { rows: { from: 0, to: 0 }, type: 'error', message: SERIALIZATION },
          { rows: { from: 0, to: 0 }, type: 'error', message: "'Contacts require a name'" },
        ],
      }),
      (table) => landed(table.length),
    ]);
    const results = await loadInRounds(call, items(2), { model: 'res.partner', concurrencyRetry: fast });
    expect(results[0]).toMatchObject({ ok: false, error: { class: 'permanent', code: 'odoo.load-row' } });
    expect(results[1]).toMatchObject({ ok: true });
  });

  it('lets an abort during the backoff release the caller at once', async () => {
    const { call, tables } = scripted([() => collided(3), (table) => landed(table.length)]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    const results = await loadInRounds(call, items(3), {
      model: 'res.partner',
      signal: controller.signal,
      concurrencyRetry: { maxAttempts: 3, initialDelayMs: 5_000, maxDelayMs: 5_000 },
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(tables).toHaveLength(1);
    expect(results.every((result) => !result.ok && result.error.code === 'net.cancelled')).toBe(true);
  });
});
