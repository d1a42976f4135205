import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CsvDropSettings } from '../../../shared/domain/connection.js';
import { CsvDropSource, type CsvFileResult } from '../../../main/connectors/csv/csv-drop-source.js';
import { ProcessedFilesStore } from '../../../main/connectors/csv/processed-files-store.js';
import type { SourcePage } from '../../../main/connectors/types.js';
import {
  SUPPLIER_INVOICE_LAYOUT,
  encodeText,
  invoiceCsv,
  invoiceRows,
  writeDemoSupplierDrop,
} from '../../peers/supplier-portal/index.js';
import { openPartnerTestDb, type PartnerTestDb } from '../webhook/partner-test-db.js';

const CONNECTION = 'conn_csvdrop000001';

describe('CSV drop source', () => {
  let store: PartnerTestDb;
  let settings: CsvDropSettings;
  let results: CsvFileResult[];
  beforeEach(() => {
    store = openPartnerTestDb();
    settings = {
      kind: 'csv-drop',
      folder: join(store.dir, 'drop'),
      archiveFolder: join(store.dir, 'archive'),
      rejectedFolder: join(store.dir, 'rejected'),
      encoding: 'utf8',
      delimiter: ';',
      hasHeader: true,
    };
    mkdirSync(settings.folder);
    results = [];
  });
  afterEach(() => store.cleanup());

  const source = (overrides: Partial<CsvDropSettings> = {}) =>
    new CsvDropSource({
      connectionId: CONNECTION,
      settings: { ...settings, ...overrides },
      files: new ProcessedFilesStore(store.db),
      settleMs: 0,
      onFile: (result) => results.push(result),
    });
  const drop = (name: string, bytes: Buffer, ageMs = 5000): void => {
    const path = join(settings.folder, name);
    writeFileSync(path, bytes);
    const at = new Date(Date.now() - ageMs);
    utimesSync(path, at, at);
  };
  async function run(
    overrides: Partial<CsvDropSettings> = {},
    cursor: string | null = null,
    pageSize = 100,
    stopAfterPages = Infinity,
  ): Promise<SourcePage[]> {
    const pages: SourcePage[] = [];
    for await (const page of source(overrides).extract({
      selector: SUPPLIER_INVOICE_LAYOUT,
      cursor,
      pageSize,
    })) {
      pages.push(page);
      if (pages.length >= stopAfterPages || pages.length > 1000) break;
    }
    return pages;
  }
  const reasonOf = (name: string): string =>
    readFileSync(join(settings.rejectedFolder, `${name}.reason.txt`), 'utf8');

  it.each(['utf8', 'utf16le', 'latin1', 'windows-1252'] as const)(
    'reads %s files with their special characters intact',
    async (encoding) => {
      const rows = invoiceRows(2001, 5);
      drop('invoice.csv', invoiceCsv(rows, encoding));
      const pages = await run({ encoding });
      const records = pages.flatMap((page) => page.records);
      expect(records).toHaveLength(5);
      const descriptions = records.map((record) => (record.data as { description: string }).description);
      // latin1 has no – „ “: the export writes '?' for them; every other encoding keeps them.
      const expected = rows.map((row) =>
        encoding === 'latin1' ? row[5]!.replace(/[\u0100-\u{10ffff}]/gu, '?') : row[5],
      );
      expect(descriptions).toEqual(expected);
      expect(descriptions.join(' ')).toMatch(encoding === 'latin1' ? /×/ : /–/);
      expect(records[0]).toMatchObject({
        type: 'supplier-invoice-line',
        sourceId: 'supplier-invoice-line:INV-2001|1',
        data: {
          invoiceNumber: 'INV-2001',
          invoiceDate: '2025-03-04',
          line: 1,
          quantity: 2,
          _file: 'invoice.csv',
          _line: 2,
        },
      });
      expect(results).toEqual([expect.objectContaining({ status: 'archived', rows: 5 })]);
      expect(readdirSync(settings.archiveFolder)).toEqual(['invoice.csv']);
      expect(readdirSync(settings.folder)).toEqual([]);
    },
  );

  it('latin1 is not windows-1252: a € written as 0x80 is refused by the layout it does not fit', async () => {
    drop(
      'euro.csv',
      encodeText(
        'Invoice No;Supplier;Invoice Date;Line;Product Code;Description;Quantity;Unit Price;Currency\r\nINV-1;S;01.03.2025;1;P;Preis in €;1;1,00;EUR\r\n',
        'windows-1252',
      ),
    );
    const cp1252 = await run({ encoding: 'windows-1252' });
    expect((cp1252[0]!.records[0]!.data as { description: string }).description).toBe('Preis in €');
  });

  it('rejects a file with bad rows, naming file, line and column for each, and imports nothing from it', async () => {
    await writeDemoSupplierDrop(settings.folder, 'windows-1252');
    const pages = await run({ encoding: 'windows-1252' });
    const files = new Set(
      pages.flatMap((page) => page.records.map((record) => (record.data as { _file: string })._file)),
    );
    expect([...files].sort()).toEqual([
      'invoice-1001.csv',
      'invoice-1002.csv',
      'invoice-1003.csv',
      'invoice-1004.csv',
    ]);
    expect(readdirSync(settings.rejectedFolder).sort()).toEqual([
      'invoice-1005-bad-cells.csv',
      'invoice-1005-bad-cells.csv.reason.txt',
      'invoice-1006-short-row.csv',
      'invoice-1006-short-row.csv.reason.txt',
    ]);
    const cells = reasonOf('invoice-1005-bad-cells.csv');
    expect(cells).toContain('2 row error(s)');
    expect(cells).toContain('invoice-1005-bad-cells.csv line 3, column 7 (Quantity): "zwei" is not a number');
    expect(cells).toContain(
      'invoice-1005-bad-cells.csv line 4, column 1 (Invoice No): is required but empty',
    );
    expect(reasonOf('invoice-1006-short-row.csv')).toContain(
      'invoice-1006-short-row.csv line 3, column 7 (Quantity): expected 9 columns, found 6',
    );
    expect(results.map((result) => result.status)).toEqual([
      'archived',
      'archived',
      'archived',
      'archived',
      'rejected',
      'rejected',
    ]);
    const rows = store.db.prepare('SELECT file_name, status FROM csv_files ORDER BY id').all();
    expect(rows).toHaveLength(6);
  });

  it('rejects whole-file problems with the reason: wrong encoding, unclosed quote, missing column, empty file', async () => {
    drop('a-utf16.csv', invoiceCsv(invoiceRows(1, 1), 'utf16le'), 9000);
    drop(
      'b-quote.csv',
      Buffer.from(`${invoiceCsv(invoiceRows(2, 1)).toString()}INV-3;"unterminated;x\r\n`),
      8000,
    );
    drop('c-columns.csv', Buffer.from('Invoice No;Supplier\r\nINV-4;S\r\n'), 7000);
    drop('d-empty.csv', Buffer.alloc(0), 6000);
    drop('e-latin.csv', invoiceCsv(invoiceRows(5, 1), 'latin1'), 5000);
    await run();
    expect(reasonOf('a-utf16.csv')).toMatch(/UTF-16 byte-order mark\. Set the encoding to utf16le/);
    expect(reasonOf('b-quote.csv')).toMatch(/b-quote\.csv: Quote Not Closed.*line 4/);
    expect(reasonOf('c-columns.csv')).toMatch(
      /columns "Invoice Date", "Line", .* are missing from the header row \(line 1\)/,
    );
    expect(reasonOf('d-empty.csv')).toMatch(/is empty/);
    expect(reasonOf('e-latin.csv')).toMatch(/not valid utf8\. Is it latin1 or windows-1252\?/);
    expect(readdirSync(settings.folder)).toEqual([]);
  });

  it('processes the same bytes once: a second drop is rejected as a duplicate, even under another name', async () => {
    const bytes = invoiceCsv(invoiceRows(3001, 2));
    drop('first.csv', bytes);
    expect((await run()).flatMap((page) => page.records)).toHaveLength(2);
    drop('first.csv', bytes);
    drop('copy.csv', bytes);
    expect(await run()).toEqual([]);
    expect(reasonOf('copy.csv')).toMatch(/Duplicate: the same bytes were already processed as first\.csv/);
    expect(readdirSync(settings.rejectedFolder)).toContain('first.csv');
  });

  it('pages a file and moves it only after its last page was consumed; a crash resumes from the cursor', async () => {
    drop('big.csv', invoiceCsv(Array.from({ length: 10 }, (_, index) => invoiceRows(4000 + index, 1)[0]!)));
    const firstTwo = await run({}, null, 3, 2);
    expect(firstTwo.map((page) => page.records.length)).toEqual([3, 3]);
    expect(existsSync(join(settings.folder, 'big.csv'))).toBe(true); // stopped early: still in the drop
    const cursor = firstTwo[1]!.cursor;
    expect(JSON.parse(cursor!)).toMatchObject({ line: 7 });
    const rest = await run({}, cursor, 3);
    expect(
      rest.flatMap((page) =>
        page.records.map((record) => (record.data as { invoiceNumber: string }).invoiceNumber),
      ),
    ).toEqual(['INV-4006', 'INV-4007', 'INV-4008', 'INV-4009']);
    expect(existsSync(join(settings.archiveFolder, 'big.csv'))).toBe(true);
  });

  it('waits for files still being written and skips temporary names', async () => {
    drop('fresh.csv', invoiceCsv(invoiceRows(5001, 1)), 0);
    drop('upload.csv.part', invoiceCsv(invoiceRows(5002, 1)));
    drop('.hidden.csv', invoiceCsv(invoiceRows(5003, 1)));
    const settling = new CsvDropSource({
      connectionId: CONNECTION,
      settings,
      files: new ProcessedFilesStore(store.db),
      settleMs: 60_000,
    });
    expect(await settling.candidates()).toEqual([]);
    expect((await source().candidates()).map((candidate) => candidate.name)).toEqual(['fresh.csv']);
  });

  it('reads headerless files by position and other delimiters', async () => {
    const layout = {
      recordType: 'payer-remittance',
      columns: [
        { header: 'claim', position: 1, field: 'claim', required: true },
        { header: 'amount', position: 3, field: 'amount', type: 'number' },
      ],
    };
    drop('remit.csv', Buffer.from('C-1,ignored,12.50\nC-2,ignored,"1,000.00"\n'));
    const pages: SourcePage[] = [];
    for await (const page of source({ hasHeader: false, delimiter: ',' }).extract({
      selector: layout,
      cursor: null,
      pageSize: 10,
    }))
      pages.push(page);
    expect(pages[0]!.records.map((record) => record.data)).toEqual([
      { claim: 'C-1', amount: 12.5, _file: 'remit.csv', _line: 1 },
      { claim: 'C-2', amount: 1000, _file: 'remit.csv', _line: 2 },
    ]);
  });

  it('refuses a missing drop folder, a bad layout and a bad cursor as configuration problems', async () => {
    await expect(run({ folder: join(store.dir, 'nope') })).rejects.toMatchObject({
      class: 'configuration',
      code: 'csv.no-folder',
    });
    const bad = source().extract({ selector: { columns: [] }, cursor: null, pageSize: 10 });
    await expect(bad[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'csv.bad-layout' });
    await expect(run({}, 'not-json')).rejects.toMatchObject({ code: 'csv.bad-cursor' });
  });

  it('streams a large file (20k rows) in bounded pages', async () => {
    const rows = Array.from({ length: 20_000 }, (_, index) => invoiceRows(100_000 + index, 1)[0]!);
    drop('large.csv', invoiceCsv(rows));
    let count = 0;
    let largest = 0;
    for await (const page of source().extract({
      selector: SUPPLIER_INVOICE_LAYOUT,
      cursor: null,
      pageSize: 1000,
    })) {
      count += page.records.length;
      largest = Math.max(largest, page.records.length);
    }
    expect(count).toBe(20_000);
    expect(largest).toBe(1000);
  });
});
