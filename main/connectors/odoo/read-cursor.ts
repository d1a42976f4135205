import { z } from 'zod';

/**
 * The incremental read position: the last (write_date, id) handed to the engine. Odoo stamps
 * write_date with the transaction's start time, so a long transaction can commit rows "in the past";
 * reads therefore restart `overlapSeconds` before the cursor and the engine drops what it already has.
 */
export interface ReadPosition {
  /** Odoo datetime, 'YYYY-MM-DD HH:MM:SS' in UTC. */
  readonly writeDate: string;
  readonly id: number;
}

const positionSchema = z.object({
  w: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
  i: z.number().int().min(0),
});

export function encodeCursor(position: ReadPosition): string {
  return JSON.stringify({ w: position.writeDate, i: position.id });
}

/** null for "from the beginning"; throws on a cursor this connector did not write. */
export function decodeCursor(cursor: string | null): ReadPosition | null {
  if (cursor === null || cursor === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(cursor);
  } catch {
    throw new RangeError('Not an Odoo read cursor');
  }
  const parsed = positionSchema.safeParse(json);
  if (!parsed.success) throw new RangeError('Not an Odoo read cursor');
  return { writeDate: parsed.data.w, id: parsed.data.i };
}

export function odooDateToIso(value: string): string {
  return `${value.replace(' ', 'T')}Z`;
}

export function shiftOdooDate(value: string, seconds: number): string {
  const date = new Date(odooDateToIso(value));
  date.setUTCSeconds(date.getUTCSeconds() + seconds);
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function comparePositions(a: ReadPosition, b: ReadPosition): number {
  if (a.writeDate !== b.writeDate) return a.writeDate < b.writeDate ? -1 : 1;
  return a.id - b.id;
}

/** Domain terms for "strictly after (writeDate, id)" in keyset order. */
export function afterDomain(position: ReadPosition): unknown[] {
  return [
    '|',
    ['write_date', '>', position.writeDate],
    '&',
    ['write_date', '=', position.writeDate],
    ['id', '>', position.id],
  ];
}
