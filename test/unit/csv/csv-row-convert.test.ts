import { describe, expect, it } from 'vitest';
import { parseCsvLayout } from '../../../main/connectors/csv/csv-layout.js';
import {
  convertCell,
  describeCellError,
  resolveColumns,
} from '../../../main/connectors/csv/csv-row-convert.js';
import { ConnectorError } from '../../../main/connectors/types.js';

const layout = parseCsvLayout({
  keyFields: ['invoice'],
  columns: [
    { header: 'Invoice No', field: 'invoice' },
    { header: 'Qty', field: 'qty', type: 'integer', required: true },
    { header: 'Price', field: 'price', type: 'number' },
    { header: 'Date', field: 'date', type: 'date' },
    { header: 'Note', field: 'note' },
  ],
});
const column = (field: string) => layout.columns.find((candidate) => candidate.field === field)!;
const euro = { ...layout, decimalSeparator: ',' as const, dateFormat: 'DD.MM.YYYY' as const };

describe('CSV layout and cells', () => {
  it('makes key fields required', () => {
    expect(column('invoice').required).toBe(true);
  });

  it('refuses layouts with unknown key fields or bad field names', () => {
    expect(() => parseCsvLayout({ keyFields: ['x'], columns: [{ header: 'A', field: 'a' }] })).toThrow(
      ConnectorError,
    );
    expect(() => parseCsvLayout({ columns: [{ header: 'A', field: '1a' }] })).toThrow(ConnectorError);
    expect(() => parseCsvLayout({ columns: [] })).toThrow(ConnectorError);
  });

  it('matches headers ignoring case and spaces and reports missing required ones', () => {
    const { resolved, missing } = resolveColumns(layout, [' invoice no ', 'PRICE', 'date']);
    expect(resolved.map((entry) => [entry.column.field, entry.index])).toEqual([
      ['invoice', 0],
      ['price', 1],
      ['date', 2],
    ]);
    expect(missing).toEqual(['Qty']);
  });

  it.each([
    ['1234.5', 'price', 1234.5],
    ['1,234.50', 'price', 1234.5],
    ['-3', 'qty', -3],
    ['', 'price', null],
    ['  x  ', 'note', 'x'],
    ['2025-02-28', 'date', '2025-02-28'],
  ])('converts %j in %s', (raw, field, value) => {
    expect(convertCell(raw, column(field), layout)).toEqual({ ok: true, value });
  });

  it.each([
    ['12,5', 'price', 'is not a number'],
    ['1.5', 'qty', 'is not a whole number'],
    ['abc', 'price', 'is not a number'],
    ['', 'qty', 'is required but empty'],
    ['2025-02-30', 'date', 'is not a date'],
    ['01.03.2025', 'date', 'is not a date'],
  ])('refuses %j in %s', (raw, field, message) => {
    const result = convertCell(raw, column(field), layout);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('reads European numbers and dates when the layout says so', () => {
    expect(convertCell('1.234,56', column('price'), euro)).toEqual({ ok: true, value: 1234.56 });
    expect(convertCell('01.03.2025', column('date'), euro)).toEqual({ ok: true, value: '2025-03-01' });
    expect(convertCell('1,2,3', column('price'), euro).ok).toBe(false);
  });

  it('names file, line and column in an error', () => {
    expect(
      describeCellError({
        file: 'a.csv',
        line: 7,
        column: 3,
        header: 'Price',
        message: '"x" is not a number',
      }),
    ).toBe('a.csv line 7, column 3 (Price): "x" is not a number');
  });
});
