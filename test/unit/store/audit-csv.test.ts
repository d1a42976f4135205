import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { AUDIT_CSV_HEADER, auditCsvLines, csvCell } from '../../../main/store/audit/audit-csv.js';

/** A small RFC 4180 reader: the test checks the export parses back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += char;
  }
  return rows;
}

const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
  seq: 7,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'admin',
  action: 'flows.update',
  target: 'flow_1',
  outcome: 'ok',
  detail: '{"name":"Lab"}',
  hash: 'ab'.repeat(32),
  ...overrides,
});

describe('audit CSV cells', () => {
  it('quotes commas, quotes, CR and LF (RFC 4180) and leaves plain text alone', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('defuses cells a spreadsheet would run as a formula with a leading apostrophe', () => {
    for (const bad of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      const cell = csvCell(bad);
      const [parsed] = parseCsv(`${cell}\r\n`);
      expect(parsed?.[0], JSON.stringify(bad)).toBe(`'${bad}`);
    }
    // Only the first character matters; a formula sign later in the text is harmless.
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes the header once and rows that parse back to exactly their fields', () => {
    const rows = [
      entry({}),
      entry({ seq: 8, target: '=cmd|"/c calc"!A1', detail: '{"note":"a, \\"b\\"\\nc"}', outcome: 'denied' }),
      entry({ seq: 9, target: null }),
    ];
    const objects = { flow_1: { kind: 'flow' as const, name: '@Intake, "new"' } };
    const text = auditCsvLines(rows, objects, true);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual(AUDIT_CSV_HEADER);
    expect(parsed.slice(1)).toEqual([
      [
        '7',
        rows[0]!.at,
        'admin',
        'flows.update',
        `'@Intake, "new"`,
        'flow_1',
        'ok',
        '{"name":"Lab"}',
        rows[0]!.hash,
      ],
      [
        '8',
        rows[1]!.at,
        'admin',
        'flows.update',
        '',
        `'=cmd|"/c calc"!A1`,
        'denied',
        rows[1]!.detail,
        rows[1]!.hash,
      ],
      ['9', rows[2]!.at, 'admin', 'flows.update', '', '', 'ok', '{"name":"Lab"}', rows[2]!.hash],
    ]);
    expect(auditCsvLines(rows, objects, false).startsWith('7,')).toBe(true);
  });
});
