import { describe, expect, it } from 'vitest';
import { MAPPING_FILE_FORMAT } from '../../../shared/domain/mapping.js';
import { sourceQuery, targetQuery } from '../../../renderer/pages/lineage/lineage-query.js';
import { diffValueText } from '../../../renderer/pages/mappings/MappingDiffView.js';
import {
  MAX_MAPPING_FILE_BYTES,
  mappingFileName,
  readMappingFile,
} from '../../../renderer/pages/mappings/mapping-file.js';
import { MAX_SAMPLES, readSamples } from '../../../renderer/pages/mappings/preview-samples.js';
import { SPEC } from './engine-fixtures.js';

const FILE = {
  format: MAPPING_FILE_FORMAT,
  name: 'Supplies',
  versions: [{ version: 1, status: 'active', author: 'ada', spec: SPEC }],
};

describe('mapping files', () => {
  it('reads a valid file with its defaults', () => {
    const read = readMappingFile(JSON.stringify(FILE));
    expect(read.ok && read.file).toMatchObject({
      name: 'Supplies',
      description: '',
      versions: [{ note: '' }],
    });
  });

  it('refuses broken JSON, another format, a bad spec and a huge file, saying why', () => {
    expect(readMappingFile('{"format":')).toEqual({ ok: false, message: 'The file is not valid JSON.' });
    const other = readMappingFile(JSON.stringify({ ...FILE, format: 'osc.flow/1' }));
    expect(!other.ok && other.message).toMatch(/^Not a mapping file \(format: /);
    const badSpec = readMappingFile(
      JSON.stringify({ ...FILE, versions: [{ ...FILE.versions[0], spec: { ...SPEC, fields: [] } }] }),
    );
    expect(!badSpec.ok && badSpec.message).toContain('Map at least one field');
    expect(readMappingFile(' '.repeat(MAX_MAPPING_FILE_BYTES + 1)).ok).toBe(false);
    expect(readMappingFile('null').ok).toBe(false);
  });

  it('names export files safely', () => {
    expect(mappingFileName('Supply codes → Odoo (v2)')).toBe('supply-codes-odoo-v2.osc-mapping.json');
    expect(mappingFileName('***')).toBe('mapping.osc-mapping.json');
  });
});

describe('preview samples', () => {
  it('takes an array, or one record on its own', () => {
    expect(readSamples('[{"a":1},{"a":2}]')).toEqual({ ok: true, samples: [{ a: 1 }, { a: 2 }] });
    expect(readSamples('{"a":1}')).toEqual({ ok: true, samples: [{ a: 1 }] });
  });

  it('refuses nothing, broken JSON, an empty array and too many records', () => {
    expect(readSamples('  ').ok).toBe(false);
    expect(readSamples('[{').ok).toBe(false);
    expect(readSamples('[]').ok).toBe(false);
    expect(readSamples(JSON.stringify(Array.from({ length: MAX_SAMPLES + 1 }, () => ({}))))).toEqual({
      ok: false,
      message: `At most ${MAX_SAMPLES} sample records.`,
    });
  });
});

describe('diff values', () => {
  it('prints strings as they are, anything else as JSON, nothing as a dash', () => {
    expect(diffValueText('name')).toBe('name');
    expect(diffValueText({ a: 1 })).toBe('{"a":1}');
    expect(diffValueText(undefined)).toBe('—');
    expect(diffValueText(null)).toBe('—');
  });
});

describe('lineage queries', () => {
  it('builds bySource input, leaving out an empty type', () => {
    expect(sourceQuery(' SupplyDelivery/7 ', '')).toEqual({
      ok: true,
      input: { sourceId: 'SupplyDelivery/7' },
    });
    expect(sourceQuery('7', 'SupplyDelivery')).toEqual({
      ok: true,
      input: { sourceId: '7', sourceType: 'SupplyDelivery' },
    });
    expect(sourceQuery('   ', 'x').ok).toBe(false);
  });

  it('builds byTarget input from a model and an external ID or id, and refuses neither', () => {
    expect(targetQuery('stock.move', 'clinic.move_7', '')).toEqual({
      ok: true,
      input: { targetModel: 'stock.move', targetKey: 'clinic.move_7' },
    });
    expect(targetQuery('stock.move', '', '42')).toEqual({
      ok: true,
      input: { targetModel: 'stock.move', targetId: '42' },
    });
    expect(targetQuery('stock.move', ' ', ' ')).toEqual({
      ok: false,
      message: 'Enter the external ID or the target id.',
    });
    expect(targetQuery('', 'x', '').ok).toBe(false);
  });
});
