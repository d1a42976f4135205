import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createUtf8Transcoder, decodeWindows1252 } from '../../../main/connectors/csv/text-decoding.js';

async function transcode(
  chunks: Buffer[],
  encoding: Parameters<typeof createUtf8Transcoder>[0],
): Promise<string> {
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(
    createUtf8Transcoder(encoding),
  ) as AsyncIterable<Buffer>)
    out.push(chunk);
  return Buffer.concat(out).toString('utf8');
}

describe('CSV text decoding', () => {
  it('decodes the windows-1252 specials that Node 20 TextDecoder gets wrong', () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0x84, 0x93, 0x96, 0xe9, 0x41]))).toBe('€„“–éA');
  });

  it('keeps latin1 as ISO-8859-1 (0x80 stays a control character)', async () => {
    expect(await transcode([Buffer.from([0x80, 0xe9])], 'latin1')).toBe('\u0080é');
  });

  it('joins a UTF-8 character split across chunks and drops the BOM', async () => {
    const bytes = Buffer.from('\uFEFFKompresse 10×10 – €', 'utf8');
    expect(await transcode([bytes.subarray(0, 17), bytes.subarray(17)], 'utf8')).toBe('Kompresse 10×10 – €');
  });

  it('decodes UTF-16LE with a BOM, split at an odd byte', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a;ü;€\r\n', 'utf16le')]);
    expect(await transcode([bytes.subarray(0, 5), bytes.subarray(5)], 'utf16le')).toBe('a;ü;€\r\n');
  });

  it('refuses invalid UTF-8 with a hint about the setting', async () => {
    await expect(transcode([Buffer.from([0x41, 0xe9, 0x42])], 'utf8')).rejects.toMatchObject({
      code: 'csv.bad-encoding',
      message: expect.stringMatching(/latin1 or windows-1252/) as unknown,
    });
  });

  it('refuses a UTF-16 file read as utf8, and one that ends mid-character', async () => {
    await expect(transcode([Buffer.from([0xff, 0xfe, 0x41, 0x00])], 'utf8')).rejects.toMatchObject({
      code: 'csv.bad-encoding',
    });
    await expect(transcode([Buffer.from([0xe2, 0x82])], 'utf8')).rejects.toMatchObject({
      code: 'csv.bad-encoding',
    });
  });
});
