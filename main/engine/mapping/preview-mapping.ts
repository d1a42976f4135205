import type { MappedPreview, MappingSpec } from '../../../shared/domain/mapping.js';
import { compileMapping } from './compile-mapping.js';
import { MappingEvalError } from './mapping-errors.js';

/**
 * Runs a mapping over sample records and reports each payload and rule result. Pure: nothing is
 * written anywhere, so a draft can be tried on real records before anyone approves it. Throws
 * MappingCompileError when the spec itself does not compile.
 *
 * A JSONata evaluation holds its thread until it ends (its awaits never let a timer or a socket
 * in), so each sample is bounded by the guarded compile's timeout, and the whole preview by
 * `budgetMs`: samples after it are answered as not evaluated, so one preview of a slow draft holds
 * the engine worker for at most the budget plus one sample's timeout.
 */
export const PREVIEW_BUDGET_MS = 5000;

export async function previewMapping(
  spec: MappingSpec,
  samples: readonly unknown[],
  budgetMs: number = PREVIEW_BUDGET_MS,
): Promise<MappedPreview[]> {
  const compiled = compileMapping(spec, { guarded: true });
  const results: MappedPreview[] = [];
  const deadline = performance.now() + budgetMs;
  for (const [index, sample] of samples.entries()) {
    if (performance.now() >= deadline) {
      const seconds = Math.round(budgetMs / 1000);
      const error = `Not evaluated: the earlier samples used up the preview's ${seconds} s.`;
      results.push({ index, ok: false, key: null, payload: null, rules: [], error });
      continue;
    }
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
