import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../../main/engine/mapping/compile-mapping.js';
import { MappingEvalError } from '../../../main/engine/mapping/mapping-errors.js';
import { sanitisedMessage } from '../../../main/engine/store/exception-recorder.js';
import { unmappedCodeOf } from '../../../shared/domain/exception-fix.js';
import { mappingSpecSchema } from '../../../shared/domain/mapping.js';

/** What "map this code" reads out of an exception: the mapping's own message, as the inbox stores it. */
async function messageFor(code: unknown, fast: boolean): Promise<string> {
  const mapping = compileMapping(
    mappingSpecSchema.parse({
      key: 'id',
      fields: [{ target: 'product', expression: '$valueMap("supplies", code)' }],
      valueMaps: { supplies: { entries: { 'SUP-1000': 'Gauze' } } },
    }),
    { fast },
  );
  try {
    await mapping.map({ id: 'x', code });
  } catch (error) {
    if (error instanceof MappingEvalError && error.code === 'mapping.unmapped-code')
      return sanitisedMessage(error.message);
    throw error;
  }
  throw new Error('the code was mapped');
}

describe('the value map and code of an unmapped-code exception', () => {
  it.each([true, false])('are read from the message the mapping writes (fast path %s)', async (fast) => {
    expect(unmappedCodeOf(await messageFor('SUP-1042', fast))).toEqual({
      valueMap: 'supplies',
      code: 'SUP-1042',
    });
    expect(unmappedCodeOf(await messageFor(42, fast))).toEqual({ valueMap: 'supplies', code: '42' });
    // A code holding quotes keeps them: the message ends with the code's closing quote and a period.
    expect(unmappedCodeOf(await messageFor('A "B" C', fast))).toEqual({
      valueMap: 'supplies',
      code: 'A "B" C',
    });
    expect(unmappedCodeOf(await messageFor('', fast))).toEqual({ valueMap: 'supplies', code: '' });
  });

  it('is null for any other message', () => {
    expect(unmappedCodeOf('There is no value map named "x".')).toBeNull();
    expect(unmappedCodeOf('Value map "supplies" has no entry for code "SUP-1042"')).toBeNull();
    expect(unmappedCodeOf('Price 990.00 is outside the policy')).toBeNull();
  });
});
