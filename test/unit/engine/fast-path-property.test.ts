import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expressions, recordValue } from '../../support/fast-path-arbitraries.js';
import { explainVerdict, judgeCase, type Verdict } from '../../support/fast-path-equivalence.js';

/**
 * The JS fast path against JSONata over generated expressions of the subset and generated records:
 * whenever the fast path answers, it answers what JSONata answers (value or error class). CI runs
 * a bounded number of cases; `npm run test:fastpath-full` runs OSC_FASTPATH_CASES=100000.
 * OSC_FASTPATH_SEED replays a run (fast-check prints the seed and the shrunk case on failure).
 */
const CASES = Number(process.env.OSC_FASTPATH_CASES ?? 4000);
const SEED = process.env.OSC_FASTPATH_SEED === undefined ? undefined : Number(process.env.OSC_FASTPATH_SEED);

describe('the JS fast path equals JSONata on generated expressions and records', () => {
  it(
    `${CASES} cases: the same value or error class whenever the fast path answers`,
    async () => {
      const counts: Record<Verdict['kind'], number> = {
        'not-compiled': 0,
        'not-fast': 0,
        same: 0,
        different: 0,
      };
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(expressions.any, expressions.text, expressions.num, expressions.bool),
          recordValue,
          async (expression, record) => {
            const verdict = await judgeCase(expression, record);
            counts[verdict.kind] += 1;
            if (verdict.kind === 'different') throw new Error(explainVerdict(verdict));
          },
        ),
        { numRuns: CASES, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      const share = (n: number): string => `${((100 * n) / total).toFixed(1)}%`;
      console.log(
        `fast-path property: ${total} cases in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
          `on the fast path ${share(counts.same)}, NotFast ${share(counts['not-fast'])}, ` +
          `not compiled ${share(counts['not-compiled'])}`,
      );
      // A property that mostly falls back to JSONata would prove little about the fast path.
      expect(counts.same / total).toBeGreaterThan(0.5);
      expect(counts['not-compiled'] / total).toBeLessThan(0.1);
    },
    Math.max(60_000, CASES * 10),
  );
});
