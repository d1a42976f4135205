import { alignedTable, roundForReport } from '../bench-output.js';
import type { Measure } from '../bench-types.js';

/**
 * The odoo-real figures of every measured server side by side: one row per path, one column per
 * server, each figure "value vs its own per-call baseline (ratio)". Ratios are only comparable
 * within a column's run conditions, which is why each server's baseline is measured in its own pass.
 */

export interface SeriesMeasures {
  /** e.g. '17.0 json-rpc' */
  readonly label: string;
  /** Path name ('create', 'update', …) → its measure. */
  readonly byPath: ReadonlyMap<string, Measure>;
}

function cell(measure: Measure | undefined): string {
  if (measure === undefined) return '-';
  const baseline = measure.baseline === null ? '-' : String(roundForReport(measure.baseline));
  const ratio = measure.ratio === null ? '-' : `${measure.ratio.toFixed(1)}×`;
  return `${roundForReport(measure.value)} vs ${baseline} (${ratio})`;
}

export function sideBySide(paths: readonly string[], series: readonly SeriesMeasures[]): string {
  const header = ['records/s', ...series.map((one) => one.label)];
  const rows = paths.map((path) => [path, ...series.map((one) => cell(one.byPath.get(path)))]);
  return alignedTable(header, rows);
}
