import { describe, expect, it } from 'vitest';
import { diffMappingSpecs } from '../../../main/engine/mapping/mapping-diff.js';
import { mappingSpecSchema } from '../../../shared/domain/mapping.js';

const v1 = mappingSpecSchema.parse({
  key: 'id',
  fields: [
    { target: 'name', expression: 'label' },
    { target: 'qty', expression: 'amount' },
  ],
  valueMaps: { codes: { entries: { A: 'x.a', B: 'x.b' } } },
  rules: [{ id: 'positive', expression: 'amount > 0', message: 'Must be positive' }],
});

describe('diffMappingSpecs', () => {
  it('no changes between equal versions', () => {
    expect(diffMappingSpecs(v1, v1)).toEqual([]);
  });

  it('names each changed field, rule and value-map entry', () => {
    const v2 = mappingSpecSchema.parse({
      key: '"k_" & id',
      fields: [
        { target: 'name', expression: '$uppercase(label)' },
        { target: 'note', expression: 'remark' },
      ],
      valueMaps: { codes: { entries: { A: 'x.a', C: 'x.c' }, onMissing: 'empty' } },
      rules: [{ id: 'positive', expression: 'amount > 0', message: 'Must be above zero' }],
    });
    const changes = diffMappingSpecs(v1, v2);
    expect(changes.map((c) => `${c.change} ${c.path}`).sort()).toEqual(
      [
        'changed key',
        'changed fields.name',
        'removed fields.qty',
        'added fields.note',
        'changed rules.positive',
        'changed valueMaps.codes.onMissing',
        'removed valueMaps.codes.entries.B',
        'added valueMaps.codes.entries.C',
      ].sort(),
    );
    expect(changes.find((c) => c.path === 'fields.name')).toMatchObject({
      before: 'label',
      after: '$uppercase(label)',
    });
  });
});
