import { describe, expect, it } from 'vitest';
import {
  buildRecord,
  leafFields,
  parseLeaf,
  pathLabel,
  recordFromJson,
  refusalReasons,
  textsOf,
} from '../../../renderer/pages/exceptions/record-fields.js';

const RECORD = {
  resourceType: 'SupplyDelivery',
  suppliedItem: { code: 'GLV-XL', quantity: 2, sterile: true },
  lines: [{ qty: 1.5 }, { qty: null }],
  tags: [],
  extra: {},
  'odd key': 'x',
};

describe('leaf fields of a source record', () => {
  it('lists every leaf with its path and JSON type, in document order', () => {
    expect(leafFields(RECORD).map((field) => [field.label, field.kind, field.text])).toEqual([
      ['resourceType', 'string', 'SupplyDelivery'],
      ['suppliedItem.code', 'string', 'GLV-XL'],
      ['suppliedItem.quantity', 'number', '2'],
      ['suppliedItem.sterile', 'boolean', 'true'],
      ['lines[0].qty', 'number', '1.5'],
      ['lines[1].qty', 'null', ''],
      ['tags', 'empty-list', '[]'],
      ['extra', 'empty-object', '{}'],
      ['["odd key"]', 'string', 'x'],
    ]);
  });

  it('labels paths as a finance user reads them', () => {
    expect(pathLabel([])).toBe('(record)');
    expect(pathLabel(['a', 0, 'b'])).toBe('a[0].b');
    expect(pathLabel(['a.b'])).toBe('["a.b"]');
  });

  it('puts an unchanged form back together as the same record (keys and types kept)', () => {
    const fields = leafFields(RECORD);
    const built = buildRecord(RECORD, fields, textsOf(fields));
    expect(built).toEqual({ ok: true, record: RECORD });
    expect(built.ok && JSON.stringify(built.record)).toBe(JSON.stringify(RECORD));
  });

  it('keeps each edited leaf to its type: numbers stay numbers, booleans booleans, null null', () => {
    const fields = leafFields(RECORD);
    const texts = {
      ...textsOf(fields),
      'suppliedItem.code': 'GLV-L',
      'suppliedItem.quantity': ' 3 ',
      'suppliedItem.sterile': 'false',
      'lines[0].qty': '2.25',
    };
    const built = buildRecord(RECORD, fields, texts);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.record['suppliedItem']).toEqual({ code: 'GLV-L', quantity: 3, sterile: false });
    expect(built.record['lines']).toEqual([{ qty: 2.25 }, { qty: null }]);
    // The original is never changed by an edit.
    expect(RECORD.suppliedItem.code).toBe('GLV-XL');
  });

  it('a null filled in becomes text; left empty it stays null', () => {
    expect(parseLeaf('null', '')).toEqual({ ok: true, value: null });
    expect(parseLeaf('null', 'GLV')).toEqual({ ok: true, value: 'GLV' });
  });

  it('refuses a number field that is not a number, by its label, and builds nothing', () => {
    const fields = leafFields(RECORD);
    const built = buildRecord(RECORD, fields, { ...textsOf(fields), 'suppliedItem.quantity': 'two' });
    expect(built).toEqual({
      ok: false,
      errors: { 'suppliedItem.quantity': 'Type a number, like 12 or 4.5' },
    });
    expect(parseLeaf('number', '')).toMatchObject({ ok: false });
    expect(parseLeaf('number', 'Infinity')).toMatchObject({ ok: false });
    expect(parseLeaf('boolean', 'maybe')).toMatchObject({ ok: false });
  });
});

describe('the JSON view', () => {
  it('reads an object and refuses anything else with the reason', () => {
    expect(recordFromJson('{"a": 1}')).toEqual({ ok: true, record: { a: 1 } });
    expect(recordFromJson('[1]')).toEqual({ ok: false, error: 'The record must be a JSON object ({ … })' });
    expect(recordFromJson('null')).toMatchObject({ ok: false });
    const broken = recordFromJson('{"a":');
    expect(broken.ok).toBe(false);
    expect(broken.ok ? '' : broken.error).toMatch(/^Not valid JSON/);
  });
});

describe("the server's refusal", () => {
  it('lists each reason the active mapping gave', () => {
    expect(
      refusalReasons(
        'The edited record does not pass the active mapping: Value map "supplies" has no entry for code "X".; rule qty-positive: Quantity must be positive',
      ),
    ).toEqual([
      'Value map "supplies" has no entry for code "X".',
      'rule qty-positive: Quantity must be positive',
    ]);
    expect(refusalReasons('Exception exc_1 is settled')).toEqual(['Exception exc_1 is settled']);
  });
});
