import type { LineageEntry } from '../../../shared/domain/lineage.js';

/**
 * Which later write corrects each row (the reverse of `supersedes`): a superseded row is history,
 * kept and marked, never the record's current state.
 */
export function supersededBy(entries: readonly LineageEntry[]): ReadonlyMap<number, number> {
  const by = new Map<number, number>();
  for (const entry of entries) if (entry.supersedes !== null) by.set(entry.supersedes, entry.seq);
  return by;
}

/** The id of a lineage row's table row, so "corrects #N" can point at the earlier write. */
export function lineageRowId(seq: number): string {
  return `lineage-row-${seq}`;
}

/** "Supply consumption" for a known flow id, else the id itself. */
export function nameOr(names: Readonly<Record<string, string>>, id: string): string {
  return names[id] ?? id;
}
