import type { Measure } from './bench-types.js';

/** Rounds for printing: whole numbers for big values, three significant digits for small ones. */
export function roundForReport(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}

/** Exactly `{"bench","value","unit","baseline","ratio"}` (+ "note"), one line per measure. */
export function measureJsonLine(measure: Measure): string {
  const line: Record<string, unknown> = {
    bench: measure.bench,
    value: roundForReport(measure.value),
    unit: measure.unit,
    baseline: measure.baseline === null ? null : roundForReport(measure.baseline),
    ratio: measure.ratio === null ? null : Number(measure.ratio.toFixed(3)),
  };
  if (measure.note !== undefined) line.note = measure.note;
  return JSON.stringify(line);
}

/** A short aligned table for people; the JSON lines above it are for machines. */
export function measureTable(measures: readonly Measure[]): string {
  const header = ['bench', 'value', 'baseline', 'ratio', 'better'];
  const rows = measures.map((m) => [
    m.bench,
    `${roundForReport(m.value)} ${m.unit}`,
    m.baseline === null ? '-' : `${roundForReport(m.baseline)} ${m.unit}`,
    m.ratio === null ? '-' : m.ratio.toFixed(3),
    m.better,
  ]);
  return alignedTable(header, rows);
}

/** Columns padded to their widest cell, a dashed rule under the header. */
export function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const format = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...rows.map(format)].join('\n');
}

/** Median of a non-empty list of samples: robust to the one round a noisy machine spoils. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}
