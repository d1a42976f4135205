import { z } from 'zod';
import { ConnectorError } from '../types.js';

/**
 * The FHIR incremental cursor. `lastUpdated` is the newest `meta.lastUpdated` fully read; the next
 * poll asks for `_lastUpdated=gt(lastUpdated − overlap)` because servers commit out of order and a
 * record stamped just before the cursor can appear after it was taken. The overlap re-reads some
 * records on purpose; `seen` holds the id@version keys inside the overlap window so they are dropped
 * instead of being processed twice.
 */
export interface FhirCursorState {
  /** ISO instant, or null before the first record. */
  lastUpdated: string | null;
  /** key → lastUpdated in epoch ms, pruned to the overlap window. */
  seen: Map<string, number>;
}

/** More keys than this in one overlap window are dropped oldest-first; the engine's payload hash
 * still skips an unchanged record, so the cost of dropping is a little re-work, never a duplicate. */
export const MAX_SEEN_KEYS = 5000;

const cursorSchema = z.object({
  v: z.literal(1),
  lastUpdated: z.string().nullable(),
  seen: z.array(z.tuple([z.string(), z.number()])).max(MAX_SEEN_KEYS),
});

export function decodeFhirCursor(cursor: string | null): FhirCursorState {
  if (cursor === null || cursor === '') return { lastUpdated: null, seen: new Map() };
  // A bare date/instant is how a backfill starts: "everything updated after this".
  if (/^\d{4}-\d{2}-\d{2}/.test(cursor) && !Number.isNaN(Date.parse(cursor))) {
    return { lastUpdated: new Date(cursor).toISOString(), seen: new Map() };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    parsed = undefined;
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) {
    throw new ConnectorError(
      'configuration',
      'fhir.bad-cursor',
      'The stored FHIR cursor is unreadable; reset the flow cursor to a date.',
    );
  }
  return { lastUpdated: result.data.lastUpdated, seen: new Map(result.data.seen) };
}

export function encodeFhirCursor(state: FhirCursorState): string {
  return JSON.stringify({ v: 1, lastUpdated: state.lastUpdated, seen: [...state.seen.entries()] });
}

/** The `_lastUpdated=gt…` lower bound for the next poll, or null to read from the beginning. */
export function pollSince(state: FhirCursorState, overlapSeconds: number): string | null {
  if (state.lastUpdated === null) return null;
  return new Date(Date.parse(state.lastUpdated) - overlapSeconds * 1000).toISOString();
}

/** Record a delivered key and move the cursor; keys older than the overlap window are forgotten. */
export function advanceCursor(state: FhirCursorState, key: string, updatedMs: number): void {
  state.seen.set(key, updatedMs);
  if (state.lastUpdated === null || updatedMs > Date.parse(state.lastUpdated)) {
    state.lastUpdated = new Date(updatedMs).toISOString();
  }
}

export function pruneCursor(state: FhirCursorState, overlapSeconds: number): void {
  if (state.lastUpdated === null) return;
  const floor = Date.parse(state.lastUpdated) - overlapSeconds * 1000;
  for (const [key, ms] of state.seen) if (ms < floor) state.seen.delete(key);
  if (state.seen.size > MAX_SEEN_KEYS) {
    const oldestFirst = [...state.seen.entries()].sort((a, b) => a[1] - b[1]);
    for (const [key] of oldestFirst.slice(0, state.seen.size - MAX_SEEN_KEYS)) state.seen.delete(key);
  }
}
