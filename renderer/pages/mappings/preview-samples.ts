/** The contract's limits on preview samples, checked here first for a message next to the field. */
export const MAX_SAMPLES = 100;
export const MAX_SAMPLES_CHARS = 1_000_000;

export type SamplesRead =
  { readonly ok: true; readonly samples: unknown[] } | { readonly ok: false; readonly message: string };

/** Sample source records as typed: a JSON array of records, or one record on its own. */
export function readSamples(text: string): SamplesRead {
  if (text.trim() === '') return { ok: false, message: 'Paste at least one sample record (JSON).' };
  if (text.length > MAX_SAMPLES_CHARS) return { ok: false, message: 'Samples are limited to 1 MB.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Not valid JSON.' };
  }
  const samples = Array.isArray(value) ? value : [value];
  if (samples.length === 0) return { ok: false, message: 'Give at least one sample record.' };
  if (samples.length > MAX_SAMPLES) return { ok: false, message: `At most ${MAX_SAMPLES} sample records.` };
  return { ok: true, samples };
}
