import { describe, expect, it } from 'vitest';
import type {
  Source,
  SourcePage,
  SourceRecord,
  Target,
  WriteRequest,
} from '../../../main/connectors/types.js';
import type { CompiledMapping } from '../../../main/engine/mapping/compile-mapping.js';
import { RunControl } from '../../../main/engine/pipeline/run-control.js';
import { runPipeline, type PipelineProgress } from '../../../main/engine/pipeline/run-pipeline.js';
import type { BatchOutcome } from '../../../main/engine/store/batch-commit.js';

/**
 * A page larger than the batch size is loaded in several chunks, each committed on its own. Mutation
 * testing found that nothing checked what only the page's last chunk may carry (the cursor: with it
 * on an earlier chunk, a crash before the rest is loaded would skip the rest for good), that mapping
 * and validation failures are committed exactly once (not dropped, not repeated per chunk), or that
 * a record a rule rejects is never sent (test/mutation/SURVIVORS.md).
 */
const record = (id: string, price: number): SourceRecord => ({
  type: 'ChargeItem',
  sourceId: id,
  version: '1',
  updatedAt: null,
  data: { id, price },
});

/** price < 0: the mapping throws; price 0: an error-severity rule rejects the record. */
const mapping: CompiledMapping = {
  map(data) {
    const { id, price } = data as { id: string; price: number };
    if (price < 0) return Promise.reject(new Error(`negative price for ${id}`));
    const payload = { ref: id, price_unit: price };
    const rejected = price === 0;
    return Promise.resolve({
      key: `charge_${id}`,
      payload,
      payloadJson: JSON.stringify(payload),
      rules: [
        { id: 'has-ref', severity: 'warning', passed: true, message: 'has a reference' },
        { id: 'price-positive', severity: 'error', passed: !rejected, message: 'price must be above 0' },
        { id: 'price-round', severity: 'warning', passed: false, message: 'price is not round' },
      ],
      rejected,
    });
  },
};

function source(pages: SourceRecord[][]): Source {
  return {
    system: 'fhir',
    async *extract(): AsyncGenerator<SourcePage> {
      for (const [index, records] of pages.entries()) {
        await Promise.resolve();
        yield { records, cursor: `c${index + 1}` };
      }
    },
  };
}

describe('a page loaded in several chunks', () => {
  it('commits the cursor with the last chunk only, and each failure once', async () => {
    const sent: string[] = [];
    const commits: BatchOutcome[] = [];
    const progress: PipelineProgress[] = [];
    const target: Target = {
      system: 'odoo',
      write(request: WriteRequest) {
        sent.push(...request.records.map((r) => r.key));
        return Promise.resolve(
          request.records.map((r) => ({ key: r.key, ok: true, targetId: '1', created: true })),
        );
      },
    };
    const counts = await runPipeline({
      source: source([
        [record('a', 1), record('bad', -1), record('b', 2), record('zero', 0), record('c', 3)],
      ]),
      target,
      selector: {},
      operation: { model: 'account.move' },
      startCursor: null,
      batchSize: 1,
      mapping,
      orderingKey: null,
      context: {
        runId: 'r',
        flowId: 'f',
        sourceSystem: 'fhir',
        targetSystem: 'odoo',
        targetModel: 'account.move',
        mappingId: 'm',
        mappingVersion: 1,
      },
      control: new RunControl(),
      writtenHashes: () => new Map(),
      commit: (_context, batch) => commits.push(batch),
      onProgress: (p) => progress.push(p),
      onFailure: () => undefined,
    });

    expect(sent).toEqual(['charge_a', 'charge_b', 'charge_c']);
    expect(counts).toEqual({ read: 5, mapped: 3, unchanged: 0, written: 3, failed: 2 });
    expect(commits.map((batch) => batch.batchNo)).toEqual([1, 2, 3]);
    expect(commits.map((batch) => ('cursor' in batch ? batch.cursor : 'no cursor'))).toEqual([
      'no cursor',
      'no cursor',
      'c1',
    ]);
    expect(commits.map((batch) => batch.failed.length)).toEqual([2, 0, 0]);
    const [mapFailure, ruleFailure] = commits[0]?.failed ?? [];
    expect(mapFailure).toMatchObject({
      stage: 'map',
      key: null,
      error: { class: 'permanent', code: 'mapping.failed', message: 'negative price for bad' },
    });
    expect(ruleFailure).toMatchObject({
      stage: 'validate',
      key: 'charge_zero',
      payloadJson: '{"ref":"zero","price_unit":0}',
      error: { class: 'permanent', code: 'rule.price-positive', message: 'price must be above 0' },
    });
    expect(commits.map((batch) => batch.counts)).toEqual([
      { read: 5, mapped: 3, unchanged: 0, written: 1, failed: 2 },
      { read: 0, mapped: 0, unchanged: 0, written: 1, failed: 0 },
      { read: 0, mapped: 0, unchanged: 0, written: 1, failed: 0 },
    ]);
    // Records read but not yet durable, after each commit.
    expect(progress.map((p) => p.queueDepth)).toEqual([2, 1, 0]);
    expect(progress.at(-1)?.loadCalls).toBe(3);
  });
});
