import type Database from 'better-sqlite3';
import { ShadowStore } from './shadow-store.js';

/**
 * The promotion gate: a mapping whose gate asks for N clean shadow periods lets a version be
 * activated only once N distinct UTC days each had a clean shadow run of it (shadow-store.ts). N = 0 (no gate row: every mapping by default) lets everything through.
 * Returns the refusal in words, or null.
 */
export function shadowGateRefusal(db: Database.Database, mappingId: string, version: number): string | null {
  const store = new ShadowStore(db);
  const required = store.periodsRequired(mappingId);
  if (required === 0) return null;
  const clean = store.cleanPeriods(mappingId, version);
  if (clean >= required) return null;
  return (
    `Version ${version} has ${clean} clean shadow period${clean === 1 ? '' : 's'}; this mapping requires ` +
    `${required} before activation (one a day: a shadow run in which Odoo refused no record and the version mapped every record the active one did).`
  );
}
