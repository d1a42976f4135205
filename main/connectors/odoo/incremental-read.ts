import { z } from 'zod';
import { ConnectorError, type ExtractRequest, type SourcePage, type SourceRecord } from '../types.js';
import type { OrmCaller } from './orm-caller.js';
import {
  afterDomain,
  comparePositions,
  decodeCursor,
  encodeCursor,
  odooDateToIso,
  shiftOdooDate,
  type ReadPosition,
} from './read-cursor.js';

/**
 * Incremental `search_read` on write_date with id as tie-breaker: keyset paging in
 * (write_date, id) order, starting `overlapSeconds` before the committed cursor. The cursor a page
 * carries never moves backwards, so committing a page re-read inside the overlap is harmless.
 */

export const odooSelectorSchema = z.object({
  model: z.string().min(1),
  domain: z.array(z.unknown()).default([]),
  fields: z.array(z.string()).default([]),
  overlapSeconds: z.number().int().min(0).max(86_400).default(120),
});
export type OdooSelector = z.infer<typeof odooSelectorSchema>;

const rowSchema = z.looseObject({ id: z.number().int(), write_date: z.string() });

export async function* searchReadIncremental(
  call: OrmCaller,
  request: ExtractRequest,
): AsyncGenerator<SourcePage> {
  const selectorResult = odooSelectorSchema.safeParse(request.selector);
  if (!selectorResult.success) {
    throw new ConnectorError(
      'configuration',
      'odoo.bad-selector',
      'An Odoo read needs a model (and optional domain/fields)',
    );
  }
  const selector = selectorResult.data;
  let committed: ReadPosition | null;
  try {
    committed = decodeCursor(request.cursor);
  } catch {
    throw new ConnectorError(
      'configuration',
      'odoo.bad-cursor',
      'The stored cursor is not an Odoo read cursor',
    );
  }
  const fields = selector.fields.length === 0 ? [] : [...new Set(['id', 'write_date', ...selector.fields])];
  const pageSize = Math.max(1, Math.floor(request.pageSize));
  let position: ReadPosition | null = null;
  const lowerBound = committed === null ? null : shiftOdooDate(committed.writeDate, -selector.overlapSeconds);

  for (;;) {
    const keyset =
      position !== null
        ? afterDomain(position)
        : lowerBound !== null
          ? [['write_date', '>=', lowerBound]]
          : [];
    const raw = await call(
      selector.model,
      'search_read',
      [[...selector.domain, ...keyset]],
      { fields, order: 'write_date asc, id asc', limit: pageSize },
      request.signal,
    );
    const rows = z.array(rowSchema).safeParse(raw);
    if (!rows.success) {
      throw new ConnectorError(
        'permanent',
        'odoo.bad-answer',
        `search_read on ${selector.model} answered in an unexpected shape`,
      );
    }
    if (rows.data.length === 0) return;
    const records: SourceRecord[] = rows.data.map((row) => ({
      type: selector.model,
      sourceId: String(row.id),
      version: row.write_date,
      updatedAt: odooDateToIso(row.write_date),
      data: row,
    }));
    const last = rows.data[rows.data.length - 1];
    if (last === undefined) return;
    position = { writeDate: last.write_date, id: last.id };
    const cursorPosition =
      committed !== null && comparePositions(committed, position) > 0 ? committed : position;
    yield { records, cursor: encodeCursor(cursorPosition) };
    if (rows.data.length < pageSize) return;
  }
}
