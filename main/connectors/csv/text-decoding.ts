import { Transform } from 'node:stream';
import type { CsvDropSettings } from '../../../shared/domain/connection.js';
import { ConnectorError } from '../types.js';

/**
 * Turns a file's bytes in the connection's encoding into UTF-8 for csv-parse, chunk by chunk
 * (multi-byte characters split across chunks are carried over by TextDecoder's stream mode).
 * - utf8: validated (fatal), BOM dropped; a UTF-16 BOM is refused with a hint to fix the setting.
 * - utf16le: BOM optional and dropped.
 * - latin1: true ISO-8859-1 (every byte is the code point of the same number).
 * - windows-1252: our own table for 0x80–0x9F, because Node 20's TextDecoder('windows-1252') decodes
 *   those bytes as latin1 (0x80 gives U+0080 instead of €).
 */
export type CsvEncoding = CsvDropSettings['encoding'];

// 0x80..0x9F in windows-1252; the five unassigned bytes map to the C1 code point, as WHATWG does.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    const codes: number[] = [];
    const end = Math.min(bytes.length, start + 8192);
    for (const byte of bytes.subarray(start, end)) {
      codes.push(byte >= 0x80 && byte <= 0x9f ? (CP1252_HIGH[byte - 0x80] ?? byte) : byte);
    }
    text += String.fromCharCode(...codes);
  }
  return text;
}

function badEncoding(encoding: CsvEncoding, hint: string): ConnectorError {
  return new ConnectorError('permanent', 'csv.bad-encoding', `The file is not valid ${encoding}${hint}`);
}

/** A Transform from raw bytes to UTF-8 bytes; fails the stream with a csv.bad-encoding error. */
export function createUtf8Transcoder(encoding: CsvEncoding): Transform {
  let first = true;
  const decoder =
    encoding === 'utf8'
      ? new TextDecoder('utf-8', { fatal: true })
      : encoding === 'utf16le'
        ? new TextDecoder('utf-16le', { fatal: true })
        : null;
  const decode = (chunk: Buffer, stream: boolean): string => {
    if (decoder !== null) return decoder.decode(chunk, { stream });
    return encoding === 'latin1' ? chunk.toString('latin1') : decodeWindows1252(chunk);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (first) {
        first = false;
        if (
          encoding !== 'utf16le' &&
          chunk.length >= 2 &&
          ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
        ) {
          callback(
            badEncoding(encoding, ': it starts with a UTF-16 byte-order mark. Set the encoding to utf16le.'),
          );
          return;
        }
      }
      try {
        callback(null, Buffer.from(decode(chunk, true), 'utf8'));
      } catch {
        callback(
          badEncoding(
            encoding,
            encoding === 'utf8' ? '. Is it latin1 or windows-1252? Change the encoding setting.' : '.',
          ),
        );
      }
    },
    flush(callback) {
      try {
        const rest = decoder === null ? '' : decoder.decode();
        callback(null, rest === '' ? undefined : Buffer.from(rest, 'utf8'));
      } catch {
        callback(badEncoding(encoding, ': it ends in the middle of a character.'));
      }
    },
  });
}
