import type { CsvColumn, CsvLayout } from './csv-layout.js';

/**
 * Header matching and per-cell conversion. Every problem is reported with the file, the line and the
 * column (position and header) so a supplier can fix the exact cell.
 */
export interface CellError {
  readonly file: string;
  readonly line: number;
  /** 1-based column position in the file. */
  readonly column: number;
  readonly header: string;
  readonly message: string;
}

export function describeCellError(error: CellError): string {
  return `${error.file} line ${error.line}, column ${error.column} (${error.header}): ${error.message}`;
}

export interface ResolvedColumn {
  readonly column: CsvColumn;
  /** 0-based index into the parsed record. */
  readonly index: number;
}

/** Columns of the layout matched against the header row (case and surrounding space ignored). */
export function resolveColumns(
  layout: CsvLayout,
  headerRow: readonly string[] | null,
): { resolved: ResolvedColumn[]; missing: string[] } {
  const normalise = (text: string): string => text.trim().toLowerCase();
  const resolved: ResolvedColumn[] = [];
  const missing: string[] = [];
  for (const column of layout.columns) {
    const index =
      headerRow === null
        ? (column.position ?? 0) - 1
        : headerRow.findIndex((cell) => normalise(cell) === normalise(column.header));
    if (index < 0) {
      if (column.required || headerRow === null) missing.push(column.header);
      continue;
    }
    resolved.push({ column, index });
  }
  return { resolved, missing };
}

const DATE_PATTERNS: Record<CsvLayout['dateFormat'], { regex: RegExp; order: [number, number, number] }> = {
  'YYYY-MM-DD': { regex: /^(\d{4})-(\d{2})-(\d{2})$/, order: [1, 2, 3] },
  'DD.MM.YYYY': { regex: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: [3, 2, 1] },
  'DD/MM/YYYY': { regex: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 2, 1] },
  'MM/DD/YYYY': { regex: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 1, 2] },
};

/** The converted value, or an error sentence for the cell. Empty cells become null. */
export function convertCell(
  raw: string,
  column: CsvColumn,
  layout: CsvLayout,
): { ok: true; value: string | number | null } | { ok: false; message: string } {
  const text = raw.trim();
  if (text === '')
    return column.required ? { ok: false, message: 'is required but empty' } : { ok: true, value: null };
  switch (column.type) {
    case 'string':
      return { ok: true, value: text };
    case 'number':
    case 'integer': {
      const pattern = numberPattern(layout.decimalSeparator, column.type === 'integer');
      if (!pattern.test(text)) {
        return {
          ok: false,
          message: `"${truncate(text)}" is not ${column.type === 'integer' ? 'a whole number' : 'a number'}`,
        };
      }
      const normalised =
        layout.decimalSeparator === ',' ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
      return { ok: true, value: Number(normalised) };
    }
    case 'date': {
      const pattern = DATE_PATTERNS[layout.dateFormat];
      const match = pattern.regex.exec(text);
      const [y, m, d] = pattern.order.map((group) => Number(match?.[group] ?? NaN)) as [
        number,
        number,
        number,
      ];
      const date = new Date(Date.UTC(y, m - 1, d));
      // Date.UTC rolls 31.02 over into March; comparing back catches impossible dates.
      if (match === null || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
        return { ok: false, message: `"${truncate(text)}" is not a date in the form ${layout.dateFormat}` };
      }
      return { ok: true, value: date.toISOString().slice(0, 10) };
    }
  }
}

// Grouping separators are accepted only in proper groups of three, so "12,5" with a '.' decimal
// separator is an error instead of silently becoming 125. Built once per kind: this runs per cell.
const NUMBER_PATTERNS = new Map<string, RegExp>();
function numberPattern(decimalSeparator: '.' | ',', integer: boolean): RegExp {
  const key = `${decimalSeparator}${String(integer)}`;
  let pattern = NUMBER_PATTERNS.get(key);
  if (pattern === undefined) {
    const [group, decimal] = decimalSeparator === ',' ? ['\\.', ','] : [',', '\\.'];
    pattern = new RegExp(`^-?(\\d{1,3}(${group}\\d{3})+|\\d+)${integer ? '' : `(${decimal}\\d+)?`}$`);
    NUMBER_PATTERNS.set(key, pattern);
  }
  return pattern;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
