import { describe, expect, it } from 'vitest';
import { flowDefinitionSchema } from '../../../shared/domain/flow.js';
import { flowFallbackSchema, type FlowFallbackInput } from '../../../shared/domain/flow-fallback.js';
import { supplyConsumptionFallback, serviceChargesFallback } from '../../peers/demo/demo-fallback.js';

/** A flow's fallback settings: match keys name fields, paths are safe dot paths, each value has its place. */
const base: FlowFallbackInput = {
  fields: [
    { name: 'encounter', label: 'Encounter', type: 'text', required: true, path: 'context.reference' },
    { name: 'qty', label: 'Quantity', type: 'number', path: 'quantity.value' },
  ],
  matchKeys: ['encounter'],
  roles: ['finance'],
};

const messages = (input: unknown): string[] => {
  const parsed = flowFallbackSchema.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('flow fallback settings', () => {
  it('takes the demo forms and a minimal one, with defaults', () => {
    expect(messages(supplyConsumptionFallback)).toEqual([]);
    expect(messages(serviceChargesFallback)).toEqual([]);
    expect(flowFallbackSchema.parse({ fields: base.fields })).toMatchObject({
      matchKeys: [],
      roles: [],
      constants: [],
      fields: [{ required: true }, { required: false }],
    });
  });

  it('refuses a match key that is not a field, naming the fields', () => {
    expect(messages({ ...base, matchKeys: ['encounter', 'day'] })).toEqual([
      'matchKeys.1: The match key "day" is not a field of the form (fields: encounter, qty)',
    ]);
    expect(messages({ ...base, matchKeys: ['qty', 'qty'] })).toEqual([
      'matchKeys.1: The match key "qty" is listed twice',
    ]);
  });

  it('refuses paths that are not dot paths, reach a prototype, take the id or overlap', () => {
    const withPath = (path: string) => messages({ ...base, fields: [{ ...base.fields[0], path }] });
    expect(withPath('context[0].reference')[0]).toContain('Use a dot path');
    expect(withPath('0.reference')[0]).toContain('Use a dot path');
    expect(withPath('context..reference')[0]).toContain('Use a dot path');
    expect(withPath('context.__proto__.polluted')[0]).toContain('__proto__');
    expect(withPath('id')[0]).toContain('reserved');
    expect(withPath('coding.0.code')).toEqual([]);
    expect(messages({ ...base, constants: [{ path: 'quantity.value.unit', value: 'unit' }] })).toEqual([
      'constants.0.path: The path "quantity.value.unit" overlaps "quantity.value": each value needs its own place in the record',
    ]);
    expect(messages({ ...base, fields: [...base.fields, { ...base.fields[1], name: 'qty' }] })).toContain(
      'fields.2.name: The field name "qty" is used twice',
    );
  });

  it('never grants viewers', () => {
    expect(messages({ ...base, roles: ['viewer'] })[0]).toMatch(/^roles\.0: /);
  });

  it('is an optional part of a flow definition, checked with it', () => {
    const flow = {
      name: 'Charges',
      sourceConnectionId: 'conn_aaaaaaaaaaaaaaaaaaaa',
      sourceSelector: {},
      targetConnectionId: 'conn_bbbbbbbbbbbbbbbbbbbb',
      targetOperation: {},
      mappingId: 'map_aaaaaaaaaaaaaaaaaaaa',
    };
    expect(flowDefinitionSchema.safeParse(flow).success).toBe(true);
    expect(flowDefinitionSchema.parse({ ...flow, fallback: base }).fallback?.matchKeys).toEqual([
      'encounter',
    ]);
    const refused = flowDefinitionSchema.safeParse({ ...flow, fallback: { ...base, matchKeys: ['nope'] } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['fallback', 'matchKeys', 0]);
  });
});
