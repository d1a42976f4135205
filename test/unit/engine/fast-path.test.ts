import { describe, expect, it } from 'vitest';
import { compileMapping, type CompiledMapping } from '../../../main/engine/mapping/compile-mapping.js';
import { compileFast } from '../../../main/engine/mapping/fast-path.js';
import { mappingSpecSchema, type MappingSpecInput } from '../../../shared/domain/mapping.js';
import {
  bulkChargesMapping,
  patientsMapping,
  serviceChargesMapping,
  supplierInvoicesMapping,
  supplyConsumptionMapping,
} from '../../peers/demo/demo-mappings.js';
import { bulkChargeItems } from '../../peers/fhir/bulk-generator.js';
import { demoClinicRecords } from '../../peers/fhir/demo-clinic.js';

async function outcome(mapping: CompiledMapping, record: unknown): Promise<unknown> {
  try {
    const result = await mapping.map(record);
    return { key: result.key, json: result.payloadJson, rules: result.rules, rejected: result.rejected };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? (error as Error).message };
  }
}

/** Awkward inputs: arrays where scalars are expected, missing parts, wrong types, odd strings. */
const AWKWARD: unknown[] = [
  {},
  { id: ['a', 'b'] },
  { id: 7, name: [{ given: ['A', 'B'], family: 'F' }, { family: 'G' }] },
  { id: 'x', code: { coding: [] }, quantity: { value: '1' }, priceOverride: { value: 'cheap' } },
  { id: 'x', occurrenceDateTime: 20240101, subject: { reference: ['Patient/1'] } },
  { id: 'émoji-😀', occurrenceDateTime: '2024-01-01T00:00:00Z', priceOverride: { value: 12.5 } },
  {
    id: 'x',
    suppliedItem: { itemCodeableConcept: { coding: [{ code: { nested: true } }] }, quantity: { value: -2 } },
  },
  {
    invoiceNumber: 'INV-1',
    line: 2,
    supplier: 'Nordic Care AB',
    productCode: 'SUP-GLOVE-M',
    currency: 'USD',
    quantity: 1,
    unitPrice: 2,
  },
  [{ id: 1 }],
  'text',
  null,
];

describe('the JS fast path gives exactly what JSONata gives', () => {
  const seeds = demoClinicRecords(Date.parse('2026-01-01T00:00:00Z')).map((r) => r.resource);
  const bulk = bulkChargeItems(300, { endMs: Date.parse('2026-01-01T00:00:00Z') });
  const bulkRecords = Array.from({ length: 300 }, (_, i) => {
    const slot = bulk.at(i);
    return JSON.parse(
      JSON.stringify(slot.build({ versionId: '1', lastUpdated: '2026-01-01T00:00:00Z' })),
    ) as unknown;
  });
  const cases: [string, MappingSpecInput][] = [
    ['patients', patientsMapping],
    ['supply', supplyConsumptionMapping],
    ['charges', serviceChargesMapping],
    ['bulk', bulkChargesMapping],
    ['supplier invoices', supplierInvoicesMapping],
  ];

  it.each(cases)('%s mapping: every demo, bulk and awkward record', async (_name, input) => {
    const spec = mappingSpecSchema.parse(input);
    const fast = compileMapping(spec);
    const full = compileMapping(spec, { fast: false });
    for (const record of [...seeds, ...bulkRecords, ...AWKWARD]) {
      expect(await outcome(fast, record), JSON.stringify(record).slice(0, 120)).toEqual(
        await outcome(full, record),
      );
    }
  });

  it('expressions outside the subset are left to JSONata', () => {
    const valueMap = () => undefined;
    for (const expression of [
      '$sum(items.price)',
      'items[price > 2]',
      '$x := 1',
      'a ~> $uppercase',
      '**.id',
      '%.id',
      '$join(a, ",")',
      'a[-1]',
    ]) {
      expect(compileFast(expression, valueMap), expression).toBeNull();
    }
    expect(compileFast('a.b[0] & "x"', valueMap)).not.toBeNull();
  });
});

describe('divergences the property test found (fast-path-property.test.ts), kept as plain cases', () => {
  const valueMaps = { codes: { onMissing: 'fail' as const, entries: { A: 'Alpha' } } };
  const cases: [string, string, unknown][] = [
    // JSONata checks `$valueMap`'s signature first: a name that is not text is its T0410.
    ['a value-map name that is not text', '$valueMap(s, code)', { s: {}, code: 'A' }],
    // `false and …` never evaluates its right side in JSONata, so an unmapped code there is no error.
    ['and stops at false', 'false and $valueMap("codes", code) = "x"', { code: 'Z' }],
    ['or stops at true', 'true or $valueMap("codes", code) = "x"', { code: 'Z' }],
    // A key given twice is D1009 in JSONata, whatever the record.
    ['an object key given twice', '{"c": {}, "c": n}', { n: 0 }],
    // Array items (and object values) run side by side in JSONata: the shallower failure wins.
    [
      'two failing array items',
      '[$substring($substring($valueMap("codes", code), 0), 0), $substring(items.s, 0)]',
      { code: 'Z', items: [{ s: 'a' }, { s: 'b' }] },
    ],
    [
      'two failing object values',
      '{"a": $substring($substring($valueMap("codes", code), 0), 0), "b": $substring(items.s, 0)}',
      { code: 'Z', items: [{ s: 'a' }, { s: 'b' }] },
    ],
  ];

  it.each(cases)('%s', async (_name, expression, record) => {
    const spec = mappingSpecSchema.parse({ key: '"k"', fields: [{ target: 'v', expression }], valueMaps });
    expect(await outcome(compileMapping(spec), record)).toEqual(
      await outcome(compileMapping(spec, { fast: false }), record),
    );
  });
});
