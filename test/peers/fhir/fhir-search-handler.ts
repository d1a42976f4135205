import type { Bundle, BundleEntry, OperationOutcome, Resource } from 'fhir/r4';
import { operationOutcome } from './outcome.js';
import type { ResourceStore, Slot } from './resource-store.js';

/**
 * FHIR search over the emulator store: `_lastUpdated` (gt/ge/lt/le/eq, repeatable), `_id`,
 * `identifier`, `_count`, `_sort=_lastUpdated`, with keyset paging through an opaque `_pageToken` in
 * the next link (stable when records change between pages, like real servers' snapshot paging).
 * Unknown parameters are refused with an OperationOutcome, so a connector bug is not hidden.
 */
const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

const KNOWN = new Set([
  '_lastUpdated',
  '_count',
  '_sort',
  '_pageToken',
  '_id',
  'identifier',
  '_format',
  '_summary',
  '_elements',
]);

/**
 * Date search parameters per resource type (the standard R4 ones the console's reconciliation asks
 * for, issue 12): `ge`/`gt`/`lt`/`le`/`eq` on the resource's own date, compared by day or instant.
 */
const DATE_PARAMS: Readonly<Record<string, Readonly<Record<string, (resource: Resource) => unknown>>>> = {
  ChargeItem: {
    occurrence: (resource) => {
      const item = resource as { occurrenceDateTime?: unknown; occurrencePeriod?: { start?: unknown } };
      return item.occurrenceDateTime ?? item.occurrencePeriod?.start;
    },
  },
  SupplyDelivery: {
    occurrence: (resource) => (resource as { occurrenceDateTime?: unknown }).occurrenceDateTime,
  },
};

interface DateBound {
  readonly op: 'gt' | 'ge' | 'lt' | 'le' | 'eq';
  readonly value: string;
}

/** Compares by the bound's precision (a day bound compares the day of an instant). */
function dateMatches(value: unknown, bounds: readonly DateBound[]): boolean {
  if (typeof value !== 'string') return false;
  return bounds.every((bound) => {
    const own = value.slice(0, bound.value.length);
    switch (bound.op) {
      case 'gt':
        return own > bound.value;
      case 'ge':
        return own >= bound.value;
      case 'lt':
        return own < bound.value;
      case 'le':
        return own <= bound.value;
      default:
        return own === bound.value;
    }
  });
}

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
  const dateParams = DATE_PARAMS[type] ?? {};
  for (const name of query.keys())
    if (!KNOWN.has(name) && dateParams[name] === undefined) return bad(`Unknown search parameter: ${name}`);
  const summary = query.get('_summary');
  if (summary !== null && summary !== 'count') return bad(`Only _summary=count is supported, not ${summary}`);
  const elements = query.get('_elements');
  if (elements !== null && elements !== 'id') return bad(`Only _elements=id is supported, not ${elements}`);
  const dateFilters: { read: (resource: Resource) => unknown; bounds: DateBound[] }[] = [];
  for (const [name, read] of Object.entries(dateParams)) {
    const bounds: DateBound[] = [];
    for (const value of query.getAll(name)) {
      const match = /^(gt|ge|lt|le|eq)?(\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?)$/.exec(
        value,
      );
      if (match === null) return bad(`${name} must be a date, not "${value}"`);
      bounds.push({ op: (match[1] ?? 'eq') as DateBound['op'], value: match[2]! });
    }
    if (bounds.length > 0) dateFilters.push({ read, bounds });
  }
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
    dateFilters.every((filter) => dateMatches(filter.read(slot.build()), filter.bounds)) &&
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
  if (summary === 'count') {
    let total = 0;
    for (let index = start; index < slots.length; index += 1) {
      const slot = slots[index]!;
      if (!inUpperBounds(slot)) break;
      if (wanted(slot)) total += 1;
    }
    return { status: 200, body: { resourceType: 'Bundle', type: 'searchset', total }, isFollowUpPage: false };
  }
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
    const built: Resource = slot.build();
    // `_elements=id`: the id and meta only (R4 marks such resources SUBSETTED).
    const resource: Resource =
      elements === 'id'
        ? { resourceType: built.resourceType, id: built.id, meta: { ...built.meta, tag: [SUBSETTED] } }
        : built;
    return { fullUrl: `${baseUrl}/${type}/${slot.id}`, resource, search: { mode: 'match' } };
  });
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', link, entry };
  if (
    token === null &&
    bounds.length === 0 &&
    ids === undefined &&
    identifier === null &&
    dateFilters.length === 0
  ) {
    return { status: 200, body: { ...bundle, total: slots.length }, isFollowUpPage: false };
  }
  return { status: 200, body: bundle, isFollowUpPage: token !== null };
}
