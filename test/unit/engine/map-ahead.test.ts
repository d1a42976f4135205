import { describe, expect, it } from 'vitest';
import type {
  Source,
  SourcePage,
  SourceRecord,
  Target,
  WriteRequest,
} from '../../../main/connectors/types.js';
import type { CompiledMapping } from '../../../main/engine/mapping/compile-mapping.js';
import { mapRecords, skipUnchanged } from '../../../main/engine/pipeline/map-page.js';
import { RunControl } from '../../../main/engine/pipeline/run-control.js';
import { runPipeline } from '../../../main/engine/pipeline/run-pipeline.js';
import type { BatchOutcome } from '../../../main/engine/store/batch-commit.js';

/**
 * The pipeline maps page N+1 while page N is being loaded, but decides "unchanged" only after N's
 * commit, and keeps only the JSON of each source record (not its parsed tree) past mapping.
 */

const record = (id: string, price: number): SourceRecord => ({
  type: 'ChargeItem',
  sourceId: id,
  version: '1',
  updatedAt: null,
  data: { id, price },
});

function mappingLog(log: string[]): CompiledMapping {
  return {
    map(data) {
      const { id, price } = data as { id: string; price: number };
      log.push(`map ${id}`);
      if (price < 0) return Promise.reject(new Error(`negative price for ${id}`));
      const payload = { ref: id, price_unit: price };
      return Promise.resolve({
        key: `charge_${id}`,
        payload,
        payloadJson: JSON.stringify(payload),
        rules: [],
        rejected: false,
      });
    },
  };
}

function sourceOf(pages: SourceRecord[][]): Source {
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

describe('runPipeline with mapping ahead', () => {
  it('maps the next page during a load, yet a record repeated on the next page is unchanged', async () => {
    const log: string[] = [];
    const hashes = new Map<string, string>();
    const commits: BatchOutcome[] = [];
    const target: Target = {
      system: 'odoo',
      async write(request: WriteRequest) {
        log.push(`load ${request.records.map((r) => r.key).join(',')}`);
        // A slow target: the engine has time to map what comes next.
        await new Promise((resolve) => setTimeout(resolve, 20));
        log.push('loaded');
        return request.records.map((r) => ({ key: r.key, ok: true, targetId: '1', created: true }));
      },
    };
    const counts = await runPipeline({
      source: sourceOf([[record('a', 1)], [record('a', 1), record('b', 2)], [record('c', -1)]]),
      target,
      selector: {},
      operation: { model: 'account.move' },
      startCursor: null,
      batchSize: 10,
      mapping: mappingLog(log),
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
      writtenHashes: (keys) =>
        new Map(keys.flatMap((key) => (hashes.has(key) ? [[key, hashes.get(key)!]] : []))),
      commit: (_context, batch) => {
        commits.push(batch);
        for (const loaded of batch.loaded) hashes.set(loaded.key, loaded.payloadHash);
      },
      onProgress: () => undefined,
      onFailure: () => undefined,
    });
    expect(counts).toEqual({ read: 4, mapped: 3, unchanged: 1, written: 2, failed: 1 });
    // Page 2 was mapped before page 1's load answered.
    expect(log.indexOf('map b')).toBeLessThan(log.indexOf('loaded'));
    // 'a' went to the target once: the second page saw the first page's commit.
    expect(log.filter((line) => line.startsWith('load '))).toEqual(['load charge_a', 'load charge_b']);
    expect(commits.map((batch) => batch.cursor)).toEqual(['c1', 'c2', 'c3']);
    const failure = commits[2]?.failed[0];
    expect(failure?.stage).toBe('map');
    expect(failure?.sourceJson).toBe('{"id":"c","price":-1}');
    expect(failure?.source).toEqual({ type: 'ChargeItem', sourceId: 'c', version: '1', updatedAt: null });
  });
});

describe('mapRecords / skipUnchanged', () => {
  it('keeps the source JSON and computes the ordering key before the store is read', async () => {
    const mapped = await mapRecords([record('x', 3)], {
      mapping: mappingLog([]),
      orderingKey: (data) => Promise.resolve(`patient-${(data as { id: string }).id}`),
    });
    const [good] = mapped.good;
    expect(good?.orderKey).toBe('patient-x');
    expect(good?.sourceJson).toBe('{"id":"x","price":3}');
    expect(good?.source).not.toHaveProperty('data');
    const page = skipUnchanged(mapped, { writtenHashes: () => new Map([['charge_x', good!.payloadHash]]) });
    expect(page).toMatchObject({ toLoad: [], mapped: 1, unchanged: 1 });
  });
  it('an ordering key that throws falls back to the target key', async () => {
    const mapped = await mapRecords([record('y', 3)], {
      mapping: mappingLog([]),
      orderingKey: () => Promise.reject(new Error('no patient')),
    });
    expect(mapped.good[0]?.orderKey).toBe('charge_y');
  });
});
