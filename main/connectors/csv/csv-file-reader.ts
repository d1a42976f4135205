import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { CsvDropSettings } from '../../../shared/domain/connection.js';
import { ConnectorError } from '../types.js';
import type { CsvLayout } from './csv-layout.js';
import { convertCell, resolveColumns, type CellError, type ResolvedColumn } from './csv-row-convert.js';
import { createUtf8Transcoder } from './text-decoding.js';

/**
 * Streams one CSV file into converted rows: bytes → UTF-8 → csv-parse → layout columns. Memory stays
 * flat whatever the file size. Problems with one cell become row errors (file, line, column);
 * problems with the file as a whole (encoding, an unclosed quote, missing required columns) throw a
 * ConnectorError naming the file and line.
 */
export interface CsvRow {
  /** Line where the record starts (1-based, counting the header and blank lines). */
  readonly line: number;
  readonly fields: Readonly<Record<string, string | number | null>>;
  readonly errors: readonly CellError[];
}

export interface CsvReadOptions {
  readonly encoding: CsvDropSettings['encoding'];
  readonly delimiter: string;
  readonly hasHeader: boolean;
  readonly layout: CsvLayout;
  /** Longest accepted record, in characters (a runaway quote stops here instead of eating memory). */
  readonly maxRecordChars?: number;
}

interface ParsedItem {
  record: string[];
  info: { lines: number };
}

export async function* readCsvRows(
  path: string,
  fileLabel: string,
  options: CsvReadOptions,
): AsyncGenerator<CsvRow> {
  const parser = parse({
    delimiter: options.delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: options.maxRecordChars ?? 1_000_000,
  });
  pipeline(createReadStream(path), createUtf8Transcoder(options.encoding), parser, () => {
    // Errors surface through the parser's async iterator below.
  });
  let columns: ResolvedColumn[] | null = options.hasHeader
    ? null
    : resolveOrThrow(options.layout, null, fileLabel);
  let width: number | null = null;
  try {
    for await (const item of parser as AsyncIterable<ParsedItem>) {
      const embeddedBreaks = item.record.reduce(
        (count, cell) => (cell.includes('\n') ? count + cell.split('\n').length - 1 : count),
        0,
      );
      const line = item.info.lines - embeddedBreaks;
      if (columns === null) {
        columns = resolveOrThrow(options.layout, item.record, fileLabel);
        width = item.record.length;
        continue;
      }
      yield convertRow(item.record, line, columns, width, options.layout, fileLabel);
    }
  } catch (error) {
    if (error instanceof ConnectorError) {
      throw new ConnectorError(error.class, error.code, `${fileLabel}: ${error.message}`);
    }
    if (error instanceof CsvError) {
      throw new ConnectorError('permanent', 'csv.parse', `${fileLabel}: ${error.message}`);
    }
    throw new ConnectorError(
      'transient',
      'csv.read',
      `${fileLabel} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  if (columns === null)
    throw new ConnectorError('permanent', 'csv.empty', `${fileLabel} is empty: it has no header row.`);
}

function resolveOrThrow(
  layout: CsvLayout,
  header: readonly string[] | null,
  fileLabel: string,
): ResolvedColumn[] {
  const { resolved, missing } = resolveColumns(layout, header);
  if (missing.length > 0) {
    const what =
      header === null ? 'have no position in the layout' : 'are missing from the header row (line 1)';
    throw new ConnectorError(
      'permanent',
      'csv.missing-columns',
      `${fileLabel}: columns ${missing.map((name) => `"${name}"`).join(', ')} ${what}.`,
    );
  }
  return resolved;
}

function convertRow(
  record: readonly string[],
  line: number,
  columns: readonly ResolvedColumn[],
  width: number | null,
  layout: CsvLayout,
  file: string,
): CsvRow {
  const errors: CellError[] = [];
  if (width !== null && record.length !== width) {
    const column = Math.min(record.length, width) + 1;
    errors.push({
      file,
      line,
      column,
      header:
        record.length < width
          ? (columns.find((candidate) => candidate.index === column - 1)?.column.header ?? `#${column}`)
          : '(extra)',
      message: `expected ${width} columns, found ${record.length}`,
    });
    return { line, fields: {}, errors };
  }
  const fields: Record<string, string | number | null> = {};
  for (const { column, index } of columns) {
    const converted = convertCell(record[index] ?? '', column, layout);
    if (converted.ok) fields[column.field] = converted.value;
    else errors.push({ file, line, column: index + 1, header: column.header, message: converted.message });
  }
  return { line, fields, errors };
}
