import type { Bundle, BundleEntry, OperationOutcome, Resource } from 'fhir/r4';
import { operationOutcome } from './outcome.js';
import type { ResourceStore, Slot } from './resource-store.js';

/**
 * FHIR search over the emulator store: `_lastUpdated` (gt/ge/lt/le/eq, repeatable), `_id`,
 * `identifier`, `_count`, `_sort=_lastUpdated`, with keyset paging through an opaque `_pageToken` in
 * the next link (stable when records change between pages, like real servers' snapshot paging).
 * Unknown parameters are refused with an OperationOutcome, so a connector bug is not hidden.
 */
const KNOWN = new Set(['_lastUpdated', '_count', '_sort', '_pageToken', '_id', 'identifier', '_format']);

export interface SearchResult {
  readonly status: number;
  readonly body: Bundle | OperationOutcome;
  readonly isFollowUpPage: boolean;
}

interface Bound {
  readonly op: 'gt' | 'ge' | 'lt' | 'le' | 'eq';
  readonly ms: number;
}

export function searchType(
  store: ResourceStore,
  type: string,
  query: URLSearchParams,
  baseUrl: string,
  limits: { readonly defaultCount: number; readonly maxCount: number },
): SearchResult {
  const bad = (message: string): SearchResult => ({
    status: 400,
    body: operationOutcome('invalid', message),
    isFollowUpPage: false,
  });
  for (const name of query.keys()) if (!KNOWN.has(name)) return bad(`Unknown search parameter: ${name}`);
  const sort = query.get('_sort');
  if (sort !== null && sort !== '_lastUpdated')
    return bad(`Only _sort=_lastUpdated is supported, not ${sort}`);

  const bounds: Bound[] = [];
  for (const value of query.getAll('_lastUpdated')) {
    const match = /^(gt|ge|lt|le|eq)?(.+)$/.exec(value);
    const ms = match === null ? NaN : Date.parse(match[2]!);
    if (match === null || Number.isNaN(ms))
      return bad(`_lastUpdated must be a date or instant, not "${value}"`);
    bounds.push({ op: (match[1] ?? 'eq') as Bound['op'], ms });
  }
  const countText = query.get('_count');
  const count = countText === null ? limits.defaultCount : Number(countText);
  if (!Number.isInteger(count) || count < 0)
    return bad(`_count must be a whole number, not "${countText ?? ''}"`);
  const pageSize = Math.min(count, limits.maxCount);

  let start = 0;
  for (const bound of bounds) {
    if (bound.op === 'gt') start = Math.max(start, store.lowerBound(type, bound.ms, Number.MAX_SAFE_INTEGER));
    if (bound.op === 'ge' || bound.op === 'eq') start = Math.max(start, store.lowerBound(type, bound.ms, -1));
  }
  const token = query.get('_pageToken');
  if (token !== null) {
    const match = /^(\d+)\.(\d+)$/.exec(token);
    if (match === null) return bad('The page token is not valid (was it edited?)');
    start = Math.max(start, store.lowerBound(type, Number(match[1]), Number(match[2])));
  }
  const ids = query.get('_id')?.split(',');
  const identifier = query.get('identifier');
  const wanted = (slot: Slot): boolean =>
    (ids === undefined || ids.includes(slot.id)) &&
    (identifier === null ||
      slot.identifiers.some((candidate) =>
        identifier.includes('|') ? candidate === identifier : candidate.endsWith(`|${identifier}`),
      ));
  const inUpperBounds = (slot: Slot): boolean =>
    bounds.every((bound) =>
      bound.op === 'lt'
        ? slot.lastUpdatedMs < bound.ms
        : bound.op === 'le'
          ? slot.lastUpdatedMs <= bound.ms
          : bound.op === 'eq'
            ? slot.lastUpdatedMs === bound.ms
            : true,
    );

  const slots = store.sorted(type);
  const page: Slot[] = [];
  let hasMore = false;
  for (let index = start; index < slots.length; index += 1) {
    const slot = slots[index]!;
    // Slots are in lastUpdated order: past an upper bound, nothing later can match.
    if (!inUpperBounds(slot)) break;
    if (!wanted(slot)) continue;
    if (page.length === pageSize) {
      hasMore = true;
      break;
    }
    page.push(slot);
  }

  const self = `${baseUrl}/${type}?${query.toString()}`;
  const link: NonNullable<Bundle['link']> = [{ relation: 'self', url: self }];
  const last = page.at(-1);
  if (hasMore && last !== undefined) {
    const next = new URLSearchParams(query);
    next.set('_pageToken', `${last.lastUpdatedMs}.${last.seq}`);
    link.push({ relation: 'next', url: `${baseUrl}/${type}?${next.toString()}` });
  }
  const entry: BundleEntry[] = page.map((slot) => {
    const resource: Resource = slot.build();
    return { fullUrl: `${baseUrl}/${type}/${slot.id}`, resource, search: { mode: 'match' } };
  });
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', link, entry };
  if (token === null && bounds.length === 0 && ids === undefined && identifier === null) {
    return { status: 200, body: { ...bundle, total: slots.length }, isFollowUpPage: false };
  }
  return { status: 200, body: bundle, isFollowUpPage: token !== null };
}
