import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../../main/engine/mapping/compile-mapping.js';
import { MappingCompileError, MappingEvalError } from '../../../main/engine/mapping/mapping-errors.js';
import { previewMapping } from '../../../main/engine/mapping/preview-mapping.js';
import { mappingSpecSchema, type MappingSpecInput } from '../../../shared/domain/mapping.js';

const spec = (input: MappingSpecInput) => mappingSpecSchema.parse(input);

const base: MappingSpecInput = {
  key: '"item_" & id',
  fields: [
    { target: 'name', expression: 'label' },
    { target: 'qty', expression: 'amount * 2' },
  ],
  references: [{ field: 'product_id', expression: '$valueMap("codes", code)' }],
  valueMaps: { codes: { entries: { A: 'mod.product_a' } } },
  rules: [
    {
      id: 'positive',
      expression: '$target.qty > 0',
      message: 'Quantity must be positive',
      severity: 'error',
    },
    { id: 'has-label', expression: '$exists(label)', message: 'No label', severity: 'warning' },
  ],
};

describe('compileMapping', () => {
  it('maps fields, references by external ID, value maps and rules in one evaluation', async () => {
    const outcome = await compileMapping(spec(base)).map({ id: 7, label: 'Gloves', amount: 3, code: 'A' });
    expect(outcome.key).toBe('item_7');
    expect(outcome.payload).toEqual({ name: 'Gloves', qty: 6, 'product_id/id': 'mod.product_a' });
    expect(outcome.payloadJson).toBe(JSON.stringify(outcome.payload));
    expect(outcome.rejected).toBe(false);
    expect(outcome.rules.map((r) => [r.id, r.passed])).toEqual([
      ['positive', true],
      ['has-label', true],
    ]);
  });

  it('an error rule rejects the record; a warning rule only reports', async () => {
    const mapping = compileMapping(spec(base));
    const rejected = await mapping.map({ id: 1, label: 'x', amount: -1, code: 'A' });
    expect(rejected.rejected).toBe(true);
    const warned = await mapping.map({ id: 1, amount: 1, code: 'A' });
    expect(warned.rejected).toBe(false);
    expect(warned.rules.find((r) => r.id === 'has-label')?.passed).toBe(false);
  });

  it('a code missing from a value map fails the record, naming the map and the code', async () => {
    const mapping = compileMapping(spec(base));
    await expect(mapping.map({ id: 1, label: 'x', amount: 1, code: 'Z' })).rejects.toThrow(MappingEvalError);
    await expect(mapping.map({ id: 1, label: 'x', amount: 1, code: 'Z' })).rejects.toThrow(
      /"codes" has no entry for code "Z"/,
    );
  });

  it("onMissing 'empty' leaves the reference out instead", async () => {
    const mapping = compileMapping(
      spec({ ...base, valueMaps: { codes: { entries: {}, onMissing: 'empty' } } }),
    );
    const outcome = await mapping.map({ id: 1, label: 'x', amount: 1, code: 'Z' });
    expect(outcome.payload).not.toHaveProperty('product_id/id');
  });

  it('a record without a key fails', async () => {
    const mapping = compileMapping(spec({ ...base, key: 'missing' }));
    await expect(mapping.map({ id: 1 })).rejects.toMatchObject({ code: 'mapping.no-key' });
  });

  it('refuses a spec that does not compile, naming the field', () => {
    expect(() =>
      compileMapping(spec({ ...base, fields: [{ target: 'name', expression: 'label +' }] })),
    ).toThrow(MappingCompileError);
    expect(() =>
      compileMapping(spec({ ...base, fields: [{ target: 'name', expression: 'label +' }] })),
    ).toThrow(/^field name:/);
    // A piece cannot close the surrounding parentheses and inject its own code.
    expect(() =>
      compileMapping(spec({ ...base, fields: [{ target: 'x', expression: '1); $y := (2' }] })),
    ).toThrow(/field x/);
  });

  it('preview reports each sample, including the ones that fail, and stops runaway expressions', async () => {
    const results = await previewMapping(spec(base), [
      { id: 1, label: 'a', amount: 1, code: 'A' },
      { id: 2, code: 'Z' },
      'not an object',
    ]);
    expect(results[0]).toMatchObject({ ok: true, key: 'item_1' });
    expect(results[1]).toMatchObject({ ok: false, key: null });
    expect(results[1]?.error).toMatch(/no entry/);
    expect(results[2]?.ok).toBe(false);
    const loop = spec({
      ...base,
      fields: [{ target: 'x', expression: '($f := function($n){ $f($n + 1) }; $f(0))' }],
    });
    const [runaway] = await previewMapping(loop, [{ id: 1 }]);
    expect(runaway?.ok).toBe(false);
  });
});

describe('mappingSpecSchema', () => {
  it('refuses a field mapped twice and duplicate rule ids', () => {
    expect(
      mappingSpecSchema.safeParse({
        key: 'id',
        fields: [
          { target: 'a', expression: '1' },
          { target: 'a', expression: '2' },
        ],
      }).success,
    ).toBe(false);
    expect(
      mappingSpecSchema.safeParse({
        key: 'id',
        fields: [{ target: 'a', expression: '1' }],
        rules: [
          { id: 'r', expression: 'true', message: 'm' },
          { id: 'r', expression: 'true', message: 'm' },
        ],
      }).success,
    ).toBe(false);
  });
  it('refuses unknown keys and wrong types', () => {
    expect(
      mappingSpecSchema.safeParse({ key: 'id', fields: [{ target: 'a', expression: '1' }], extra: 1 })
        .success,
    ).toBe(false);
    expect(mappingSpecSchema.safeParse({ key: 5, fields: [] }).success).toBe(false);
  });
});
