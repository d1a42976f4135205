import { describe, expect, it } from 'vitest';
import {
  derivedFields,
  fallbackFormOf,
  fallbackSettingsOf,
  plainPathOf,
} from '../../../main/engine/fallback/fallback-form.js';
import {
  checkedValues,
  comparable,
  sourceRecordOf,
  valueAt,
} from '../../../main/engine/fallback/fallback-values.js';
import type { FallbackField } from '../../../shared/domain/fallback.js';
import type { Flow } from '../../../shared/domain/flow.js';
import { flowFallbackSchema } from '../../../shared/domain/flow-fallback.js';
import { mappingSpecSchema } from '../../../shared/domain/mapping.js';
import { serviceChargesMapping, supplyConsumptionMapping } from '../../peers/demo/demo-mappings.js';

const flow = (fallback?: unknown): Flow =>
  ({
    id: 'flow_aaaaaaaaaaaa',
    name: 'Supply use',
    sourceSelector: { resourceType: 'SupplyDelivery' },
    ...(fallback === undefined ? {} : { fallback: flowFallbackSchema.parse(fallback) }),
  }) as unknown as Flow;

describe('the fallback form', () => {
  it('reads plain paths out of expressions, and only those', () => {
    expect(plainPathOf('suppliedItem.itemCodeableConcept.coding[0].code')).toBe(
      'suppliedItem.itemCodeableConcept.coding.0.code',
    );
    expect(plainPathOf(' $exists(patient.reference) ')).toBe('patient.reference');
    expect(plainPathOf('id')).toBeNull();
    expect(plainPathOf('true')).toBeNull();
    expect(plainPathOf('"stock.stock_location_stock"')).toBeNull();
    expect(plainPathOf('$valueMap("x", code)')).toBeNull();
    expect(plainPathOf('identifier[system="x"].value')).toBeNull();
    expect(plainPathOf('$substring(occurrenceDateTime, 0, 10)')).toBeNull();
  });

  it("is derived from the mapping's plain paths when the flow has no settings, numbers where rules compute", () => {
    const spec = mappingSpecSchema.parse(supplyConsumptionMapping);
    expect(derivedFields(spec)).toEqual([
      {
        name: 'suppliedItem.itemCodeableConcept.coding.0.display',
        label: 'suppliedItem.itemCodeableConcept.coding.0.display',
        type: 'text',
        required: false,
        path: 'suppliedItem.itemCodeableConcept.coding.0.display',
      },
      {
        name: 'suppliedItem.quantity.value',
        label: 'suppliedItem.quantity.value',
        type: 'number',
        required: false,
        path: 'suppliedItem.quantity.value',
      },
      {
        name: 'patient.reference',
        label: 'patient.reference',
        type: 'text',
        required: false,
        path: 'patient.reference',
      },
    ]);
    const charges = derivedFields(mappingSpecSchema.parse(serviceChargesMapping));
    expect(charges.map((field) => [field.path, field.type])).toEqual([['subject.reference', 'text']]);
  });

  it('says when entries will not be matched, and always lets administrators in', () => {
    const spec = mappingSpecSchema.parse(supplyConsumptionMapping);
    const derived = fallbackFormOf(flow(), fallbackSettingsOf(flow(), spec), true);
    expect(derived).toMatchObject({ matchKeys: [], roles: ['administrator'], sourceType: 'SupplyDelivery' });
    expect(derived.notice).toContain('NOT matched');
    const fields = [{ name: 'qty', label: 'Quantity', type: 'number', path: 'quantity.value' }];
    const own = flow({ fields, matchKeys: ['qty'], roles: ['finance'] });
    const form = fallbackFormOf(own, fallbackSettingsOf(own, spec), false);
    expect(form).toMatchObject({ roles: ['administrator', 'finance'], matchKeys: ['qty'], targetUp: false });
    expect(form.notice).toBeUndefined();
    const unkeyed = flow({ fields });
    expect(fallbackFormOf(unkeyed, fallbackSettingsOf(unkeyed, spec), true).notice).toContain(
      'no match keys',
    );
  });
});

describe('fallback values', () => {
  const fields: FallbackField[] = [
    { name: 'qty', label: 'Quantity', type: 'number', required: true, path: 'quantity.value' },
    { name: 'at', label: 'Time', type: 'date-time', required: false, path: 'occurrenceDateTime' },
    { name: 'day', label: 'Day', type: 'date', required: false, path: 'day' },
    { name: 'code', label: 'Code', type: 'text', required: false, path: 'code.coding.0.code' },
  ];

  it('takes numbers, numeric text, ISO times with offsets and real dates; leaves blank optional fields out', () => {
    expect(
      checkedValues(fields, { qty: ' 2.5 ', at: '2026-12-02T08:30:00Z', day: '2026-02-28', code: ' ' }),
    ).toEqual({
      qty: 2.5,
      at: '2026-12-02T08:30:00Z',
      day: '2026-02-28',
    });
  });

  it('lists every problem', () => {
    expect(() => checkedValues(fields, { qty: '', at: '2026-12-02 08:30', day: '2026-02-30' })).toThrow(
      'Quantity is required. Time: give a date and time with its UTC offset, e.g. 2026-12-02T08:30:00+01:00. Day: give a date as YYYY-MM-DD, e.g. 2026-12-02.',
    );
    expect(() => checkedValues(fields, { qty: 'Infinity' })).toThrow('Quantity: "Infinity" is not a number.');
    expect(() => checkedValues(fields, {})).toThrow('Quantity is required.');
  });

  it('builds the source record with lists for number segments and the provisional id', () => {
    const record = sourceRecordOf(
      { fields, constants: [{ path: 'code.coding.0.system', value: 'urn:x' }] },
      { qty: 2, code: 'A' },
      'fallback-1',
    );
    expect(record).toEqual({
      code: { coding: [{ system: 'urn:x', code: 'A' }] },
      quantity: { value: 2 },
      id: 'fallback-1',
    });
    expect(valueAt(record, 'code.coding.0.code')).toBe('A');
    expect(valueAt(record, 'code.coding.code')).toBe('A');
    expect(valueAt(record, 'code.missing.x')).toBeUndefined();
  });

  it('compares text trimmed, numbers as numbers, times by instant or by UTC day for match keys', () => {
    const [qty, at, , code] = fields as [FallbackField, FallbackField, FallbackField, FallbackField];
    expect(comparable(code, ' A ', false)).toBe('A');
    expect(comparable(qty, '2', false)).toBe(2);
    expect(comparable(qty, 'two', false)).toBeNull();
    expect(comparable(at, '2026-12-02T00:30:00+01:00', true)).toBe('2026-12-01');
    expect(comparable(at, '2026-12-02T08:30:00+01:00', false)).toBe(
      comparable(at, '2026-12-02T07:30:00Z', false),
    );
  });
});
