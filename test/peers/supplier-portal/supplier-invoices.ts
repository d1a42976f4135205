import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The demo supplier portal's CSV invoice exports: one line per invoice line, `;`-separated with a
 * header row (as European portals export them), in the encoding the clinic's drop expects. Some
 * files are bad on purpose: a non-numeric quantity and an empty invoice number, and a short row.
 */
export const SUPPLIER_INVOICE_HEADERS = [
  'Invoice No',
  'Supplier',
  'Invoice Date',
  'Line',
  'Product Code',
  'Description',
  'Quantity',
  'Unit Price',
  'Currency',
] as const;

/** The CSV source selector (layout) for these files. */
export const SUPPLIER_INVOICE_LAYOUT = {
  recordType: 'supplier-invoice-line',
  keyFields: ['invoiceNumber', 'line'],
  decimalSeparator: ',',
  dateFormat: 'DD.MM.YYYY',
  columns: [
    { header: 'Invoice No', field: 'invoiceNumber', required: true },
    { header: 'Supplier', field: 'supplier', required: true },
    { header: 'Invoice Date', field: 'invoiceDate', type: 'date', required: true },
    { header: 'Line', field: 'line', type: 'integer', required: true },
    { header: 'Product Code', field: 'productCode', required: true },
    { header: 'Description', field: 'description' },
    { header: 'Quantity', field: 'quantity', type: 'number', required: true },
    { header: 'Unit Price', field: 'unitPrice', type: 'number', required: true },
    { header: 'Currency', field: 'currency', required: true },
  ],
} as const;

export type InvoiceRow = readonly string[];

export type DropEncoding = 'utf8' | 'utf16le' | 'latin1' | 'windows-1252';

const SUPPLIERS = ['MediSupply GmbH', 'Hôpital Fournitures SARL', 'Nordic Care AB'];
const PRODUCTS = [
  ['SUP-GLOVE-M', 'Handschuhe Nitril M – 100 Stück', '11,90'],
  ['SUP-SYRINGE-5ML', 'Spritze 5 ml (100)', '17,50'],
  ['SUP-GAUZE-10', 'Kompresse 10×10 cm steril', '8,95'],
  ['SUP-MASK-FFP2', 'FFP2-Maske „Komfort“ (50)', '22,40'],
  ['SUP-SALINE-500', 'NaCl 0,9 % 500 ml – Karton à 10', '10,80'],
] as const;

/** Lines of one invoice (deterministic for a given number). */
export function invoiceRows(invoiceNumber: number, lines = 3): InvoiceRow[] {
  const supplier = SUPPLIERS[invoiceNumber % SUPPLIERS.length]!;
  const day = String(1 + (invoiceNumber % 27)).padStart(2, '0');
  return Array.from({ length: lines }, (_, index) => {
    const [code, description, price] = PRODUCTS[(invoiceNumber + index) % PRODUCTS.length]!;
    return [
      `INV-${invoiceNumber}`,
      supplier,
      `${day}.03.2025`,
      String(index + 1),
      code,
      description,
      String(2 + index),
      price,
      'EUR',
    ];
  });
}

function quote(cell: string, delimiter: string): string {
  return /["\n\r]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A whole file's bytes: header + rows, CRLF line ends, in `encoding` (utf16le with a BOM). */
export function invoiceCsv(
  rows: readonly InvoiceRow[],
  encoding: DropEncoding = 'utf8',
  delimiter = ';',
): Buffer {
  const text =
    [SUPPLIER_INVOICE_HEADERS, ...rows]
      .map((row) => row.map((cell) => quote(cell, delimiter)).join(delimiter))
      .join('\r\n') + '\r\n';
  return encodeText(text, encoding);
}

export function encodeText(text: string, encoding: DropEncoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  // Characters outside the 8-bit set become '?', as an export tool would write them.
  if (encoding === 'latin1') return Buffer.from(text.replace(/[\u0100-\u{10ffff}]/gu, '?'), 'latin1');
  return encodeWindows1252(text);
}

const CP1252_EXTRA: Readonly<Record<string, number>> = {
  '€': 0x80,
  '‚': 0x82,
  ƒ: 0x83,
  '„': 0x84,
  '…': 0x85,
  '†': 0x86,
  '‡': 0x87,
  ˆ: 0x88,
  '‰': 0x89,
  Š: 0x8a,
  '‹': 0x8b,
  Œ: 0x8c,
  Ž: 0x8e,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '˜': 0x98,
  '™': 0x99,
  š: 0x9a,
  '›': 0x9b,
  œ: 0x9c,
  ž: 0x9e,
  Ÿ: 0x9f,
};

function encodeWindows1252(text: string): Buffer {
  const bytes: number[] = [];
  // Code point by code point: a character outside windows-1252 becomes '?', as Windows does.
  for (const char of text) {
    const extra = CP1252_EXTRA[char];
    const code = char.codePointAt(0) ?? 0x3f;
    bytes.push(extra ?? (code <= 0xff && (code < 0x80 || code > 0x9f) ? code : 0x3f));
  }
  return Buffer.from(bytes);
}

export interface DemoDropFile {
  readonly name: string;
  readonly good: boolean;
  readonly rows: number;
}

/**
 * The demo's drop folder: four good invoices and two bad files, written with increasing mtimes so
 * they are taken in order. Text uses characters outside ASCII (–, „“, ×, ô) so a wrong encoding
 * setting shows.
 */
export async function writeDemoSupplierDrop(
  folder: string,
  encoding: DropEncoding = 'windows-1252',
): Promise<DemoDropFile[]> {
  await mkdir(folder, { recursive: true });
  const files: { name: string; bytes: Buffer; good: boolean; rows: number }[] = [];
  for (const number of [1001, 1002, 1003, 1004]) {
    const rows = invoiceRows(number, 2 + (number % 3));
    files.push({
      name: `invoice-${number}.csv`,
      bytes: invoiceCsv(rows, encoding),
      good: true,
      rows: rows.length,
    });
  }
  const badCells = invoiceRows(1005, 3).map((row, index) =>
    index === 1
      ? row.map((cell, column) => (column === 6 ? 'zwei' : cell))
      : index === 2
        ? ['', ...row.slice(1)]
        : row,
  );
  files.push({
    name: 'invoice-1005-bad-cells.csv',
    bytes: invoiceCsv(badCells, encoding),
    good: false,
    rows: 3,
  });
  const shortRow = invoiceRows(1006, 2).map((row, index) => (index === 1 ? row.slice(0, 6) : row));
  files.push({
    name: 'invoice-1006-short-row.csv',
    bytes: invoiceCsv(shortRow, encoding),
    good: false,
    rows: 2,
  });
  const base = Date.now() - 60_000;
  for (const [index, file] of files.entries()) {
    const path = join(folder, file.name);
    await writeFile(path, file.bytes);
    const at = new Date(base + index * 1000);
    await utimes(path, at, at);
  }
  return files.map(({ name, good, rows }) => ({ name, good, rows }));
}
