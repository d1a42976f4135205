import { describe, expect, it } from 'vitest';
import type { Benchmark, Measure } from '../../bench/bench-types.js';
import { measureJsonLine, measureTable, median, roundForReport } from '../../bench/bench-output.js';
import { parseBenchArgs, runBenchmarks } from '../../bench/run-benchmarks.js';
import { BENCHMARKS } from '../../bench/benches/index.js';

const measure = (bench: string, value: number): Measure => ({
  bench,
  value,
  unit: 'rows/s',
  baseline: value * 2,
  ratio: 0.5,
  better: 'higher',
});
const fake = (name: string, run: () => Promise<readonly Measure[]>): Benchmark => ({
  name,
  description: name,
  run,
});

function sink(): { write(chunk: string): boolean; text(): string } {
  let text = '';
  return {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}

describe('bench output', () => {
  it('prints exactly bench, value, unit, baseline, ratio (+ note) on one JSON line', () => {
    expect(measureJsonLine(measure('a', 1234.56))).toBe(
      '{"bench":"a","value":1235,"unit":"rows/s","baseline":2469,"ratio":0.5}',
    );
    expect(JSON.parse(measureJsonLine({ ...measure('a', 1.23456), note: 'n' }))).toEqual({
      bench: 'a',
      value: 1.23,
      unit: 'rows/s',
      baseline: 2.47,
      ratio: 0.5,
      note: 'n',
    });
    expect(measureJsonLine({ ...measure('b', 5), baseline: null, ratio: null })).toContain(
      '"baseline":null,"ratio":null',
    );
  });

  it('aligns the human table', () => {
    const lines = measureTable([measure('short', 10), measure('a-much-longer-name', 20000)]).split('\n');
    expect(lines).toHaveLength(4);
    const column = lines[0]!.indexOf('value');
    expect(lines[2]!.indexOf('10 rows/s')).toBe(column);
    expect(lines[3]!.indexOf('20000 rows/s')).toBe(column);
  });

  it('takes the median and rounds for reading', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
    expect(roundForReport(0.012345)).toBe(0.0123);
  });
});

describe('runBenchmarks', () => {
  it('parses --only NAME and --only=NAME and rejects anything else', () => {
    expect(parseBenchArgs([])).toEqual({ only: null, measuresOut: null });
    expect(parseBenchArgs(['--only', 'x'])).toEqual({ only: 'x', measuresOut: null });
    expect(parseBenchArgs(['--only=x'])).toEqual({ only: 'x', measuresOut: null });
    expect(parseBenchArgs(['--only', 'x', '--measures-out', '/tmp/m.json'])).toEqual({
      only: 'x',
      measuresOut: '/tmp/m.json',
    });
    expect(parseBenchArgs(['--measures-out'])).toEqual({ error: '--measures-out needs a file path' });
    expect(parseBenchArgs(['--only'])).toEqual({ error: '--only needs a benchmark name' });
    expect(parseBenchArgs(['--fast'])).toEqual({ error: 'unknown argument --fast' });
  });

  it('runs only the named benchmark and prints its lines then a table', async () => {
    const ran: string[] = [];
    const registry = [
      fake('one', () => (ran.push('one'), Promise.resolve([measure('one', 1)]))),
      fake('two', () => (ran.push('two'), Promise.resolve([measure('two', 2), measure('two-b', 3)]))),
    ];
    const out = sink();
    expect(await runBenchmarks(registry, ['--only', 'two'], out, sink())).toBe(0);
    expect(ran).toEqual(['two']);
    const lines = out.text().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ bench: 'two' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ bench: 'two-b' });
    expect(out.text()).toMatch(/bench\s+value\s+baseline\s+ratio/);
  });

  it('exits 1 when --only names no benchmark, listing the real ones', async () => {
    const err = sink();
    expect(
      await runBenchmarks([fake('one', () => Promise.resolve([]))], ['--only', 'nope'], sink(), err),
    ).toBe(1);
    expect(err.text()).toContain('no benchmark named "nope" (benchmarks: one)');
  });

  it('exits 1 when a benchmark fails, after running the others', async () => {
    const out = sink();
    const err = sink();
    const registry = [
      fake('bad', () => Promise.reject(new Error('disk gone'))),
      fake('good', () => Promise.resolve([measure('good', 1)])),
    ];
    expect(await runBenchmarks(registry, [], out, err)).toBe(1);
    expect(err.text()).toContain('benchmark bad failed: disk gone');
    expect(out.text()).toContain('"bench":"good"');
  });

  it('refuses a registry with two benchmarks of the same name', async () => {
    const registry = [fake('x', () => Promise.resolve([])), fake('x', () => Promise.resolve([]))];
    expect(await runBenchmarks(registry, [], sink(), sink())).toBe(1);
  });

  it('the real registry has unique names and includes audit-append', () => {
    const names = BENCHMARKS.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('audit-append');
  });
});
