import type { FieldIndexes } from './field-index.js';

/**
 * Narrowing a search through an index: when the domain is a plain AND of leaves (no '&', '|', '!')
 * and one leaf is `indexed_field = value` or `indexed_field in [values]` with concrete values, only
 * the ids under those values can match. The caller still applies the whole domain to them, so the
 * result is exactly what a full scan gives; only the scan is gone (e.g. the connector's external-id
 * lookup: `module = x AND name in [500 names]` over 200k ir.model.data rows).
 */

function concrete(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number';
}

export function indexedCandidates(model: string, domain: unknown, indexes: FieldIndexes): number[] | null {
  if (!Array.isArray(domain) || !domain.every((term) => Array.isArray(term))) return null;
  let best: number[] | null = null;
  for (const leaf of domain as unknown[][]) {
    const [field, operator, value] = leaf;
    if (leaf.length !== 3 || typeof field !== 'string' || !indexes.has(model, field)) continue;
    // Unset values ('=', false) also match records that lack the field, which no index holds.
    const values =
      operator === '=' && concrete(value)
        ? [value]
        : operator === 'in' && Array.isArray(value) && value.every(concrete)
          ? (value as unknown[])
          : null;
    if (values === null) continue;
    const ids = new Set<number>();
    for (const item of values) for (const id of indexes.ids(model, field, item) ?? []) ids.add(id);
    if (best === null || ids.size < best.length) best = [...ids].sort((a, b) => a - b);
  }
  return best;
}
