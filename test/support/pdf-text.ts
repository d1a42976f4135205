import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text of a PDF as one string, page after page, read by a real PDF parser (pdf.js, its legacy
 * build for Node). Runs of whitespace are folded to one space: a line a printer wrapped reads as one.
 */
export async function pdfText(bytes: Uint8Array): Promise<{ readonly pages: number; readonly text: string }> {
  // pdf.js takes ownership of the buffer it is given: a copy keeps the caller's bytes intact.
  const document = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const parts: string[] = [];
  try {
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if ('str' in item) parts.push(item.str, item.hasEOL ? '\n' : '');
      }
    }
  } finally {
    await document.destroy();
  }
  return { pages: document.numPages, text: parts.join('').replace(/\s+/g, ' ').trim() };
}
