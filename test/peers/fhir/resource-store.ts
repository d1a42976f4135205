import type { FhirResource, Resource } from 'fhir/r4';

/**
 * The emulator's in-memory FHIR store. Each resource type keeps its current versions in an array
 * sorted by (lastUpdated, seq), so `_lastUpdated` searches and keyset paging are binary searches —
 * fast enough for 100k+ records. Bulk sets are registered as builders and turned into JSON only when
 * a page is served, so 100k records cost a small slot each, not 100k resource objects. Identifiers
 * are hashed (full `system|value` and bare value), so a conditional create does not scan the type.
 */
export interface Slot {
  readonly type: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdatedMs: number;
  readonly seq: number;
  /** Business identifiers as `system|value`, for conditional create. */
  readonly identifiers: readonly string[];
  build(): Resource;
}

export interface BulkSpec {
  readonly type: string;
  readonly count: number;
  /** Describe record i (0-based); lastUpdatedMs must not decrease with i. */
  at(index: number): {
    id: string;
    lastUpdatedMs: number;
    identifier: string;
    build(meta: Resource['meta']): Resource;
  };
}

export class ResourceStore {
  private readonly byType = new Map<string, Slot[]>();
  private readonly current = new Map<string, Slot>();
  /** `type\nsystem|value` and `type\nvalue` → the current slots carrying that identifier. */
  private readonly byIdentifier = new Map<string, Set<Slot>>();
  private seq = 0;

  count(type?: string): number {
    if (type !== undefined) return this.byType.get(type)?.length ?? 0;
    return this.current.size;
  }

  get(type: string, id: string): Slot | undefined {
    return this.current.get(`${type}/${id}`);
  }

  sorted(type: string): readonly Slot[] {
    return this.byType.get(type) ?? [];
  }

  /** Create or replace a resource; returns its stored form with a new versionId and lastUpdated. */
  put(resource: FhirResource & { id: string }, nowMs: number): { resource: Resource; created: boolean } {
    const previous = this.get(resource.resourceType, resource.id);
    if (previous !== undefined) this.remove(previous);
    const versionId = (previous?.versionId ?? 0) + 1;
    const meta = { versionId: String(versionId), lastUpdated: new Date(nowMs).toISOString() };
    const stored = Object.freeze({ ...resource, meta }) as Resource;
    this.insert({
      type: resource.resourceType,
      id: resource.id,
      versionId,
      lastUpdatedMs: nowMs,
      seq: (this.seq += 1),
      identifiers: identifiersOf(stored),
      build: () => stored,
    });
    return { resource: stored, created: previous === undefined };
  }

  /** Register a lazily built set (already in lastUpdated order) in one go. */
  addBulk(spec: BulkSpec): void {
    const slots = this.byType.get(spec.type) ?? [];
    const fresh: Slot[] = [];
    for (let index = 0; index < spec.count; index += 1) {
      const item = spec.at(index);
      const meta = { versionId: '1', lastUpdated: new Date(item.lastUpdatedMs).toISOString() };
      const slot: Slot = {
        type: spec.type,
        id: item.id,
        versionId: 1,
        lastUpdatedMs: item.lastUpdatedMs,
        seq: (this.seq += 1),
        identifiers: [item.identifier],
        build: () => item.build(meta),
      };
      fresh.push(slot);
      this.current.set(`${spec.type}/${item.id}`, slot);
      this.indexIdentifiers(slot, true);
    }
    const merged = slots.concat(fresh).sort(compareSlots);
    this.byType.set(spec.type, merged);
  }

  /** Index of the first slot strictly after (ms, seq) — or at/after ms when seq is -1/∞ tricks. */
  lowerBound(type: string, ms: number, seq: number): number {
    const slots = this.sorted(type);
    let low = 0;
    let high = slots.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const slot = slots[mid]!;
      if (slot.lastUpdatedMs < ms || (slot.lastUpdatedMs === ms && slot.seq <= seq)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Slots with `system|value` (exactly) or, for a bare value, that value in any system; in store order. */
  findByIdentifier(type: string, identifier: string): Slot[] {
    return [...(this.byIdentifier.get(`${type}\n${identifier}`) ?? [])].sort(compareSlots);
  }

  private insert(slot: Slot): void {
    const slots = this.byType.get(slot.type) ?? [];
    const at = this.lowerBound(slot.type, slot.lastUpdatedMs, slot.seq);
    slots.splice(at, 0, slot);
    this.byType.set(slot.type, slots);
    this.current.set(`${slot.type}/${slot.id}`, slot);
    this.indexIdentifiers(slot, true);
  }

  private remove(slot: Slot): void {
    const slots = this.byType.get(slot.type) ?? [];
    const at = this.lowerBound(slot.type, slot.lastUpdatedMs, slot.seq - 1);
    if (slots[at] === slot) slots.splice(at, 1);
    this.current.delete(`${slot.type}/${slot.id}`);
    this.indexIdentifiers(slot, false);
  }

  private indexIdentifiers(slot: Slot, present: boolean): void {
    for (const identifier of slot.identifiers) {
      const bar = identifier.indexOf('|');
      for (const key of new Set([identifier, identifier.slice(bar + 1)])) {
        const full = `${slot.type}\n${key}`;
        const slots = this.byIdentifier.get(full) ?? new Set<Slot>();
        if (present) slots.add(slot);
        else slots.delete(slot);
        if (slots.size === 0) this.byIdentifier.delete(full);
        else this.byIdentifier.set(full, slots);
      }
    }
  }
}

function compareSlots(a: Slot, b: Slot): number {
  return a.lastUpdatedMs - b.lastUpdatedMs || a.seq - b.seq;
}

function identifiersOf(resource: Resource): string[] {
  const list = (resource as { identifier?: unknown }).identifier;
  const identifiers = Array.isArray(list) ? (list as unknown[]) : list === undefined ? [] : [list];
  return identifiers.flatMap((item) => {
    const { system, value } = (item ?? {}) as { system?: unknown; value?: unknown };
    return typeof value === 'string' ? [`${typeof system === 'string' ? system : ''}|${value}`] : [];
  });
}
