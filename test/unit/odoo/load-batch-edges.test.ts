import { describe, expect, it } from 'vitest';
import {
  buildLoadTable,
  recordOfMessage,
  rowErrors,
  tableForWrites,
} from '../../../main/connectors/odoo/load-batch.js';

/**
 * Edges of the load table and of mapping Odoo's answer back to records that mutation testing found
 * unguarded (test/mutation/SURVIVORS.md): which arrays are one2many lines, an `id` key in a payload,
 * `messages[].record` bounds, and which error class wins for a record with several messages.
 */

describe('buildLoadTable edges', () => {
  it('takes only a list of plain objects as one2many lines; any other list is one import cell', () => {
    const table = buildLoadTable([
      {
        externalId: 'osc_sync.r1',
        payload: {
          mixed: [{ name: 'a' }, 'b'],
          numbers: [1, 2],
          nulls: [null],
          nested: [[1, 2]],
          lines: [{ name: 'L1' }],
        },
      },
    ]);
    expect(table.fields).toEqual(['id', 'mixed', 'numbers', 'nulls', 'nested', 'lines/id', 'lines/name']);
    expect(table.rows).toEqual([
      ['osc_sync.r1', '[{"name":"a"},"b"]', '[1,2]', '[null]', '[[1,2]]', 'osc_sync.r1_lines_1', 'L1'],
    ]);
  });

  it('keeps the external id in the id column when a payload carries an id of its own', () => {
    const table = buildLoadTable([{ externalId: 'osc_sync.r1', payload: { id: 'other', name: 'A' } }]);
    expect(table.fields).toEqual(['id', 'name']);
    expect(table.rows).toEqual([['osc_sync.r1', 'A']]);
  });

  it('builds the table from TargetWrites, keyed by their keys', () => {
    const table = tableForWrites([
      { key: 'osc_sync.a', payload: { name: 'A', active: false } },
      { key: 'osc_sync.b', payload: { name: 'B', active: null } },
    ]);
    expect(table).toEqual({
      fields: ['id', 'name', 'active'],
      rows: [
        ['osc_sync.a', 'A', 'false'],
        ['osc_sync.b', 'B', ''],
      ],
      recordStartRows: [0, 1],
    });
  });
});

describe('recordOfMessage bounds', () => {
  const starts = [0, 1, 2];
  const message = (record: number) => ({ type: 'error', message: 'bad', record });

  it.each([
    [0, 0],
    [2, 2],
    [3, null],
    [-1, null],
  ])('messages[].record %i → record %j', (record, expected) => {
    expect(recordOfMessage(message(record), starts)).toBe(expected);
  });

  it('names no record when the message has neither rows nor record', () => {
    expect(recordOfMessage({ type: 'error', message: 'bad' }, starts)).toBeNull();
  });

  it('maps a record-only error to its record in rowErrors', () => {
    const errors = rowErrors({ ids: false, messages: [message(1), message(7)] }, starts);
    expect([...errors.keys()]).toEqual([1]);
  });
});

describe('rowErrors class choice', () => {
  it('keeps a data error permanent when a concurrency message for the same record follows it', () => {
    const errors = rowErrors(
      {
        ids: false,
        messages: [
          { type: 'error', message: 'Wrong value for email', record: 0 },
          { type: 'error', message: 'could not serialize access due to concurrent update', record: 0 },
        ],
      },
      [0],
    );
    expect(errors.get(0)).toMatchObject({ class: 'permanent', code: 'odoo.load-row' });
  });
});
