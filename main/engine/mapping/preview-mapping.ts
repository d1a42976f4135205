import type { MappedPreview, MappingSpec } from '../../../shared/domain/mapping.js';
import { compileMapping } from './compile-mapping.js';
import { MappingEvalError } from './mapping-errors.js';

/**
 * Runs a mapping over sample records and reports each payload and rule result. Pure: nothing is
 * written anywhere, so a draft can be tried on real records before anyone approves it. Throws
 * MappingCompileError when the spec itself does not compile.
 */
export async function previewMapping(
  spec: MappingSpec,
  samples: readonly unknown[],
): Promise<MappedPreview[]> {
  const compiled = compileMapping(spec, { guarded: true });
  const results: MappedPreview[] = [];
  for (const [index, sample] of samples.entries()) {
    try {
      const outcome = await compiled.map(sample);
      const payload = JSON.parse(outcome.payloadJson) as Record<string, unknown>;
      results.push({
        index,
        ok: !outcome.rejected,
        key: outcome.key,
        payload,
        rules: outcome.rules,
        error: null,
      });
    } catch (error) {
      const message =
        error instanceof MappingEvalError || error instanceof Error ? error.message : String(error);
      results.push({ index, ok: false, key: null, payload: null, rules: [], error: message });
    }
  }
  return results;
}
