import { mappingFileSchema, type MappingFile } from '../../../shared/domain/mapping.js';

/** Files larger than this are refused before parsing: a mapping file is a few hundred KiB at most. */
export const MAX_MAPPING_FILE_BYTES = 5_000_000;

export type MappingFileRead =
  { readonly ok: true; readonly file: MappingFile } | { readonly ok: false; readonly message: string };

/** Checks an uploaded file's text against the contract's mapping file format (the server checks again). */
export function readMappingFile(text: string): MappingFileRead {
  if (text.length > MAX_MAPPING_FILE_BYTES)
    return { ok: false, message: 'The file is larger than 5 MB; it is not a mapping file.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The file is not valid JSON.' };
  }
  const parsed = mappingFileSchema.safeParse(value);
  if (parsed.success) return { ok: true, file: parsed.data };
  const first = parsed.error.issues[0];
  const where = first === undefined || first.path.length === 0 ? '' : `${first.path.join('.')}: `;
  return { ok: false, message: `Not a mapping file (${where}${first?.message ?? 'unknown shape'}).` };
}

/** A file name from a mapping name: letters, digits and dashes only. */
export function mappingFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug === '' ? 'mapping' : slug}.osc-mapping.json`;
}

/**
 * Saves JSON as a download through a Blob URL: works the same in Electron and in a browser, with no
 * Node API and nothing the CSP blocks.
 */
export function downloadJson(fileName: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
