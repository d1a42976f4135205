import { createHash } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CsvDropSettings } from '../../../shared/domain/connection.js';
import type { ExtractRequest, Source, SourcePage, SourceRecord } from '../types.js';
import { ConnectorError } from '../types.js';
import { readCsvRows, type CsvRow } from './csv-file-reader.js';
import { parseCsvLayout, type CsvLayout } from './csv-layout.js';
import { describeCellError, type CellError } from './csv-row-convert.js';
import { moveInto, rejectInto, sha256File } from './file-moves.js';
import type { ProcessedFilesStore } from './processed-files-store.js';

/**
 * A CSV drop folder as a Source. Files are taken oldest first once they have stopped changing; each
 * is checksummed (an archived checksum is never processed twice), validated in a first streaming
 * pass (any bad row rejects the whole file, so a supplier resends one corrected file instead of the
 * clinic chasing half-imported invoices), then read again in pages. The file moves to the archive
 * only when the consumer asks for more after its last page — i.e. once that page's outcome is
 * durable; a crash before that leaves it in place, and the cursor (checksum + line) skips what was
 * already done.
 */
export interface CsvFileResult {
  readonly fileName: string;
  readonly sha256: string;
  readonly status: 'archived' | 'rejected';
  readonly rows: number;
  readonly reason: string | null;
  readonly movedTo: string;
}

export interface CsvDropSourceOptions {
  readonly connectionId: string;
  readonly settings: CsvDropSettings;
  readonly files: ProcessedFilesStore;
  /** A file modified more recently than this is still being written and waits for the next scan. */
  readonly settleMs?: number;
  readonly maxFileBytes?: number;
  /** How many row errors the reason file lists before "and N more". */
  readonly maxErrorsListed?: number;
  readonly onFile?: (result: CsvFileResult) => void;
  readonly now?: () => number;
}

const cursorSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), line: z.number().int().min(0) });
type CsvCursor = z.infer<typeof cursorSchema>;

const SKIPPED_NAME = /(^\.|\.tmp$|\.part$|\.partial$|\.crdownload$|\.reason\.txt$)/i;

interface Candidate {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export class CsvDropSource implements Source {
  readonly system = 'csv-drop';

  constructor(private readonly options: CsvDropSourceOptions) {}

  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    const layout = parseCsvLayout(request.selector);
    const cursor = parseCursor(request.cursor);
    const { settings } = this.options;
    await assertFolder(settings.folder);
    await mkdir(settings.archiveFolder, { recursive: true });
    await mkdir(settings.rejectedFolder, { recursive: true });
    for (const file of await this.candidates()) {
      if (request.signal?.aborted === true) return;
      yield* this.processFile(file, layout, cursor, Math.max(1, request.pageSize), request.signal);
    }
  }

  /** Files ready to process, oldest first (name breaks ties so the order is stable). */
  async candidates(): Promise<Candidate[]> {
    const folder = this.options.settings.folder;
    const now = (this.options.now ?? Date.now)();
    const settle = this.options.settleMs ?? 2000;
    const found: Candidate[] = [];
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (!entry.isFile() || SKIPPED_NAME.test(entry.name)) continue;
      const path = join(folder, entry.name);
      const info = await stat(path).catch(() => null);
      if (info === null || now - info.mtimeMs < settle) continue;
      found.push({ name: entry.name, path, size: info.size, mtimeMs: info.mtimeMs });
    }
    return found.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  }

  private async *processFile(
    file: Candidate,
    layout: CsvLayout,
    cursor: CsvCursor | null,
    pageSize: number,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<SourcePage> {
    const { connectionId, files, settings } = this.options;
    const sha256 = await sha256File(file.path);
    const earlier = files.archived(connectionId, sha256);
    if (earlier !== undefined) {
      await this.reject(
        file,
        sha256,
        0,
        `Duplicate: the same bytes were already processed as ${earlier.fileName} at ${earlier.processedAt}.`,
      );
      return;
    }
    const maxBytes = this.options.maxFileBytes ?? 512 * 1024 * 1024;
    if (file.size > maxBytes) {
      await this.reject(
        file,
        sha256,
        0,
        `The file is ${file.size} bytes; this drop accepts at most ${maxBytes}.`,
      );
      return;
    }
    const validation = await this.validate(file, layout);
    if (validation.problem !== null) {
      await this.reject(file, sha256, validation.rows, validation.problem);
      return;
    }

    const resumeAfter = cursor?.sha256 === sha256 ? cursor.line : 0;
    let page: SourceRecord[] = [];
    let lastLine = resumeAfter;
    for await (const row of readCsvRows(file.path, file.name, this.readOptions(layout))) {
      if (row.line <= resumeAfter) continue;
      page.push(toRecord(row, layout, file.name, sha256));
      lastLine = row.line;
      if (page.length >= pageSize) {
        yield { records: page, cursor: JSON.stringify({ sha256, line: lastLine }) };
        page = [];
        if (signal?.aborted === true) return;
      }
    }
    if (page.length > 0) yield { records: page, cursor: JSON.stringify({ sha256, line: lastLine }) };

    // Resumed after the last page: its outcome is durable, so the file is done.
    const after = await stat(file.path);
    if (after.size !== file.size || after.mtimeMs !== file.mtimeMs) {
      throw new ConnectorError(
        'transient',
        'csv.file-changed',
        `${file.name} changed while it was being read; it will be read again.`,
      );
    }
    const movedTo = await moveInto(file.path, settings.archiveFolder, sha256);
    const result: CsvFileResult = {
      fileName: file.name,
      sha256,
      status: 'archived',
      rows: validation.rows,
      reason: null,
      movedTo,
    };
    files.record({ connectionId, ...result, bytes: file.size });
    this.options.onFile?.(result);
  }

  /** First pass: count rows and collect every row error, without keeping rows in memory. */
  private async validate(
    file: Candidate,
    layout: CsvLayout,
  ): Promise<{ rows: number; problem: string | null }> {
    const errors: CellError[] = [];
    let rows = 0;
    try {
      for await (const row of readCsvRows(file.path, file.name, this.readOptions(layout))) {
        rows += 1;
        errors.push(...row.errors);
      }
    } catch (error) {
      if (error instanceof ConnectorError && error.class === 'permanent')
        return { rows, problem: error.message };
      throw error;
    }
    if (errors.length === 0) return { rows, problem: null };
    const limit = this.options.maxErrorsListed ?? 100;
    const listed = errors.slice(0, limit).map(describeCellError);
    const more = errors.length > limit ? [`… and ${errors.length - limit} more.`] : [];
    return {
      rows,
      problem: [`${errors.length} row error(s); the file was not imported:`, ...listed, ...more].join('\n'),
    };
  }

  private readOptions(layout: CsvLayout): Parameters<typeof readCsvRows>[2] {
    const { encoding, delimiter, hasHeader } = this.options.settings;
    return { encoding, delimiter, hasHeader, layout };
  }

  private async reject(file: Candidate, sha256: string, rows: number, reason: string): Promise<void> {
    const { connectionId, files, settings } = this.options;
    const text = `Rejected: ${file.name}\nsha256: ${sha256}\n${reason}`;
    const movedTo = await rejectInto(file.path, settings.rejectedFolder, sha256, text);
    const result: CsvFileResult = { fileName: file.name, sha256, status: 'rejected', rows, reason, movedTo };
    files.record({ connectionId, ...result, bytes: file.size });
    this.options.onFile?.(result);
  }
}

function toRecord(row: CsvRow, layout: CsvLayout, fileName: string, sha256: string): SourceRecord {
  const key = layout.keyFields.map((field) => String(row.fields[field]));
  return {
    type: layout.recordType,
    sourceId: key.length > 0 ? `${layout.recordType}:${key.join('|')}` : `${sha256.slice(0, 16)}:${row.line}`,
    version: createHash('sha256').update(JSON.stringify(row.fields)).digest('hex'),
    updatedAt: null,
    data: { ...row.fields, _file: fileName, _line: row.line },
  };
}

function parseCursor(cursor: string | null): CsvCursor | null {
  if (cursor === null || cursor === '') return null;
  try {
    return cursorSchema.parse(JSON.parse(cursor));
  } catch {
    throw new ConnectorError(
      'configuration',
      'csv.bad-cursor',
      'The stored CSV cursor is unreadable; reset the flow cursor.',
    );
  }
}

async function assertFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => null);
  if (info?.isDirectory() !== true) {
    throw new ConnectorError(
      'configuration',
      'csv.no-folder',
      `The drop folder ${folder} does not exist or is not a folder.`,
    );
  }
}
