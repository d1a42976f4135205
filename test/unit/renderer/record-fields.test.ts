import { describe, expect, it } from 'vitest';
import {
  buildRecord,
  leafFields,
  newField,
  parseLeaf,
  parsePath,
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

describe('adding a field the record lacks', () => {
  const NO_PATIENT = {
    resourceType: 'SupplyDelivery',
    suppliedItem: { code: 'GLV-XL', quantity: 2 },
    lines: [{ qty: 1 }],
    extra: {},
    tags: [],
  };
  const fields = leafFields(NO_PATIENT);
  const draft = (path: string, value = 'x', type: 'text' | 'number' | 'boolean' | 'null' = 'text') => ({
    path,
    value,
    type,
  });
  const pathError = (result: ReturnType<typeof newField>) => (result.ok ? undefined : result.errors.path);

  it('reads paths as the labels write them, and the dotted form with list indexes', () => {
    expect(parsePath(' patient.reference ')).toEqual({ ok: true, path: ['patient', 'reference'] });
    expect(parsePath('coding[0].code')).toEqual({ ok: true, path: ['coding', 0, 'code'] });
    expect(parsePath('coding.0.code')).toEqual({ ok: true, path: ['coding', 0, 'code'] });
    expect(parsePath('["odd key"][2]')).toEqual({ ok: true, path: ['odd key', 2] });
    for (const bad of ['a..b', '.a', 'a.', 'a b', 'a[x]', 'a[0]b', 'a.[0]', '[', 'a]'])
      expect(parsePath(bad)).toMatchObject({ ok: false });
    expect(parsePath('  ')).toEqual({
      ok: false,
      error: 'Type the path of the field, like patient.reference',
    });
  });

  it('adds the missing patient.reference, built into the record with its group created', () => {
    const added = newField(NO_PATIENT, fields, draft('patient.reference', 'Patient/p-1'));
    expect(added).toEqual({
      ok: true,
      field: {
        path: ['patient', 'reference'],
        label: 'patient.reference',
        kind: 'string',
        text: 'Patient/p-1',
        added: true,
      },
    });
    if (!added.ok) return;
    const all = [...fields, added.field];
    const built = buildRecord(NO_PATIENT, all, textsOf(all));
    expect(built).toEqual({ ok: true, record: { ...NO_PATIENT, patient: { reference: 'Patient/p-1' } } });
    // The base record is not changed by building.
    expect(NO_PATIENT).not.toHaveProperty('patient');
  });

  it('keeps the chosen type: number, true/false and empty (null)', () => {
    const number = newField(NO_PATIENT, fields, draft('suppliedItem.weight', ' 1.5 ', 'number'));
    const yes = newField(NO_PATIENT, fields, draft('suppliedItem.sterile', 'Yes', 'boolean'));
    const empty = newField(NO_PATIENT, fields, draft('note', '', 'null'));
    const added = [number, yes, empty].flatMap((result) => (result.ok ? [result.field] : []));
    expect(added.map((field) => [field.kind, field.text])).toEqual([
      ['number', '1.5'],
      ['boolean', 'true'],
      ['null', ''],
    ]);
    const all = [...fields, ...added];
    const built = buildRecord(NO_PATIENT, all, textsOf(all));
    expect(built.ok && built.record['suppliedItem']).toEqual({
      code: 'GLV-XL',
      quantity: 2,
      weight: 1.5,
      sterile: true,
    });
    expect(built.ok && built.record['note']).toBeNull();
  });

  it('creates lists for new indexes and extends existing ones by one item', () => {
    const coding = newField(NO_PATIENT, fields, draft('coding.0.code', 'A'));
    expect(coding.ok && coding.field.label).toBe('coding[0].code');
    const line = newField(NO_PATIENT, fields, draft('lines[1].qty', '4', 'number'));
    const tag = newField(NO_PATIENT, fields, draft('tags[0]', 'urgent'));
    const note = newField(NO_PATIENT, fields, draft('extra.note', 'n'));
    const added = [coding, line, tag, note].flatMap((result) => (result.ok ? [result.field] : []));
    expect(added).toHaveLength(4);
    const all = [...fields, ...added];
    const built = buildRecord(NO_PATIENT, all, textsOf(all));
    expect(built.ok && built.record).toMatchObject({
      coding: [{ code: 'A' }],
      lines: [{ qty: 1 }, { qty: 4 }],
      tags: ['urgent'],
      extra: { note: 'n' },
    });
    // After coding[0] is added, coding[1] is the next item, coding[3] would leave a gap.
    const withCoding = coding.ok ? [...fields, coding.field] : fields;
    expect(newField(NO_PATIENT, withCoding, draft('coding[1].code')).ok).toBe(true);
    expect(pathError(newField(NO_PATIENT, withCoding, draft('coding[3].code')))).toBe(
      'coding has 1 item: a new item goes at [1]',
    );
    expect(pathError(newField(NO_PATIENT, fields, draft('coding[2]')))).toBe(
      'coding is a new list: its first item is coding[0]',
    );
  });

  it('refuses an empty path, a path that exists, one through a value, and a bad number, each inline', () => {
    expect(pathError(newField(NO_PATIENT, fields, draft('')))).toBe(
      'Type the path of the field, like patient.reference',
    );
    expect(pathError(newField(NO_PATIENT, fields, draft('suppliedItem.code')))).toBe(
      'suppliedItem.code already exists: change it in the list above',
    );
    // A group that exists is not replaced by a value either.
    expect(pathError(newField(NO_PATIENT, fields, draft('suppliedItem')))).toBe(
      'suppliedItem already exists: change it in the list above',
    );
    expect(pathError(newField(NO_PATIENT, fields, draft('suppliedItem.code.system')))).toBe(
      'suppliedItem.code holds a single value, not fields: nothing can be added under it',
    );
    expect(pathError(newField(NO_PATIENT, fields, draft('lines.first')))).toBe(
      'lines is a list: pick an item by its number, like lines[0]',
    );
    expect(newField(NO_PATIENT, fields, draft('patient.count', 'two', 'number'))).toEqual({
      ok: false,
      errors: { value: 'Type a number, like 12 or 4.5' },
    });
    expect(newField(NO_PATIENT, fields, draft('', 'maybe', 'boolean'))).toEqual({
      ok: false,
      errors: { path: 'Type the path of the field, like patient.reference', value: 'Type true or false' },
    });
    expect(newField(NO_PATIENT, fields, draft('note', 'x', 'null'))).toMatchObject({
      ok: false,
      errors: { value: 'An empty (null) field takes no value: clear it or choose text' },
    });
  });

  it('refuses adding the same field twice, or under a field added as a value', () => {
    const added = newField(NO_PATIENT, fields, draft('patient.reference', 'Patient/p-1'));
    const all = added.ok ? [...fields, added.field] : fields;
    expect(pathError(newField(NO_PATIENT, all, draft('patient.reference')))).toBe(
      'patient.reference already exists: change it in the list above',
    );
    expect(pathError(newField(NO_PATIENT, all, draft('patient.reference.id')))).toMatch(
      /holds a single value/,
    );
    expect(newField(NO_PATIENT, all, draft('patient.display', 'Ann')).ok).toBe(true);
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
