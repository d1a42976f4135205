import { describe, expect, it } from 'vitest';
import type { ChargeItem } from 'fhir/r4';
import { bulkChargeItems } from '../../peers/fhir/bulk-generator.js';
import { ResourceStore } from '../../peers/fhir/resource-store.js';

/** The FHIR emulator's identifier index (conditional create looks up by identifier on every write). */

const SYSTEM = 'urn:test:charge';
const item = (id: string, value: string): ChargeItem & { id: string } => ({
  resourceType: 'ChargeItem',
  id,
  status: 'billable',
  code: { text: 'x' },
  subject: { reference: 'Patient/p' },
  identifier: [{ system: SYSTEM, value }],
});

describe('ResourceStore identifiers', () => {
  it('finds by system|value and by bare value, and forgets a replaced identifier', () => {
    const store = new ResourceStore();
    store.put(item('a', 'v1'), 1000);
    store.put(item('b', 'v2'), 2000);
    expect(store.findByIdentifier('ChargeItem', `${SYSTEM}|v1`).map((slot) => slot.id)).toEqual(['a']);
    expect(store.findByIdentifier('ChargeItem', 'v2').map((slot) => slot.id)).toEqual(['b']);
    expect(store.findByIdentifier('ChargeItem', 'other|v1')).toEqual([]);
    expect(store.findByIdentifier('Patient', 'v1')).toEqual([]);
    // A new version with another identifier: the old one no longer finds it.
    store.put(item('a', 'v3'), 3000);
    expect(store.findByIdentifier('ChargeItem', 'v1')).toEqual([]);
    expect(store.findByIdentifier('ChargeItem', `${SYSTEM}|v3`).map((slot) => slot.versionId)).toEqual([2]);
  });

  it('returns several matches in store (lastUpdated) order', () => {
    const store = new ResourceStore();
    store.put(item('late', 'dup'), 5000);
    store.put(item('early', 'dup'), 1000);
    expect(store.findByIdentifier('ChargeItem', 'dup').map((slot) => slot.id)).toEqual(['early', 'late']);
  });

  it('indexes bulk sets, and a lookup among 100k records is not a scan', () => {
    const store = new ResourceStore();
    store.addBulk(bulkChargeItems(100_000, { endMs: Date.parse('2026-01-01T00:00:00Z') }));
    const [first] = store.findByIdentifier('ChargeItem', 'bulk-charge-99999');
    expect(first?.id).toBe('bulk-charge-99999');
    const started = performance.now();
    for (let i = 0; i < 2000; i += 1) store.findByIdentifier('ChargeItem', `bulk-charge-${i * 37}`);
    // 2000 scans of 100k slots with string compares take seconds; hashed lookups take milliseconds.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
