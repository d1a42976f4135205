import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/connectors/types.js';
import {
  MAX_SEEN_KEYS,
  advanceCursor,
  decodeFhirCursor,
  encodeFhirCursor,
  pollSince,
  pruneCursor,
} from '../../../main/connectors/fhir/fhir-cursor.js';

describe('FHIR cursor', () => {
  it('starts empty and polls from the beginning', () => {
    const state = decodeFhirCursor(null);
    expect(state.lastUpdated).toBeNull();
    expect(pollSince(state, 120)).toBeNull();
  });

  it('accepts a bare date as a backfill start', () => {
    const state = decodeFhirCursor('2025-03-01');
    expect(state.lastUpdated).toBe('2025-03-01T00:00:00.000Z');
    expect(pollSince(state, 60)).toBe('2025-02-28T23:59:00.000Z');
  });

  it('round-trips, moves forward only, and forgets keys older than the overlap window', () => {
    const state = decodeFhirCursor(null);
    const t0 = Date.parse('2025-03-01T10:00:00Z');
    advanceCursor(state, 'ChargeItem/a@1', t0);
    advanceCursor(state, 'ChargeItem/b@1', t0 + 200_000);
    advanceCursor(state, 'ChargeItem/c@1', t0 + 100_000); // out of order: the cursor stays at b
    pruneCursor(state, 120);
    expect(state.lastUpdated).toBe(new Date(t0 + 200_000).toISOString());
    expect([...state.seen.keys()].sort()).toEqual(['ChargeItem/b@1', 'ChargeItem/c@1']);
    const again = decodeFhirCursor(encodeFhirCursor(state));
    expect(again.lastUpdated).toBe(state.lastUpdated);
    expect([...again.seen.entries()]).toEqual([...state.seen.entries()]);
    expect(pollSince(again, 120)).toBe(new Date(t0 + 80_000).toISOString());
  });

  it('caps the seen set, dropping the oldest keys', () => {
    const state = decodeFhirCursor(null);
    const t0 = Date.parse('2025-03-01T10:00:00Z');
    for (let index = 0; index < MAX_SEEN_KEYS + 10; index += 1) advanceCursor(state, `k${index}`, t0 + index);
    pruneCursor(state, 3600);
    expect(state.seen.size).toBe(MAX_SEEN_KEYS);
    expect(state.seen.has('k0')).toBe(false);
    expect(state.seen.has(`k${MAX_SEEN_KEYS + 9}`)).toBe(true);
  });

  it.each([
    '{',
    '{"v":2,"lastUpdated":null,"seen":[]}',
    '{"v":1,"lastUpdated":null,"seen":[["a","b"]]}',
    'yesterday',
  ])('refuses an unreadable cursor %s as a configuration problem', (cursor) => {
    expect(() => decodeFhirCursor(cursor)).toThrow(ConnectorError);
    try {
      decodeFhirCursor(cursor);
    } catch (error) {
      expect((error as ConnectorError).class).toBe('configuration');
      expect((error as ConnectorError).code).toBe('fhir.bad-cursor');
    }
  });
});
