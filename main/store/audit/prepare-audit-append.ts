import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { AuditAppend } from '../types.js';
import { StoreError } from '../store-errors.js';
import { canonicalJson } from './canonical-json.js';

/** An entry checked and canonicalized before the write lock is taken, so the lock is held briefly. */
export interface PreparedAuditAppend {
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: AuditEntry['outcome'];
  readonly detail: string;
}

const OUTCOMES: ReadonlySet<string> = new Set(['ok', 'denied', 'error']);
export const MAX_ACTOR_CHARS = 128;
export const MAX_ACTION_CHARS = 128;
export const MAX_TARGET_CHARS = 1024;
/** Audit rows describe actions; payloads belong elsewhere. A cap keeps one bad caller from bloating the log. */
export const MAX_DETAIL_CHARS = 64 * 1024;

/**
 * Checks one entry at run time too: the engine and handlers build entries from data that TypeScript
 * cannot vouch for. Error messages name the field, never its value (a value could be a secret).
 */
export function prepareAuditAppend(entry: AuditAppend, index: number): PreparedAuditAppend {
  const where = `audit entry ${index}`;
  const invalid = (problem: string): StoreError =>
    new StoreError('invalid-audit-entry', `${where}: ${problem}`);
  if (typeof entry !== 'object' || (entry as unknown) === null) throw invalid('not an object');
  checkText(entry.actor, 'actor', MAX_ACTOR_CHARS, invalid);
  checkText(entry.action, 'action', MAX_ACTION_CHARS, invalid);
  if (entry.target !== null) checkText(entry.target, 'target', MAX_TARGET_CHARS, invalid);
  if (typeof entry.outcome !== 'string' || !OUTCOMES.has(entry.outcome)) {
    throw invalid('outcome must be ok, denied or error');
  }
  let detail: string;
  try {
    detail = canonicalJson(entry.detail);
  } catch (error) {
    throw invalid(`detail is not plain JSON (${(error as Error).message})`);
  }
  if (detail.length > MAX_DETAIL_CHARS) {
    throw invalid(`detail is ${detail.length} characters, more than the ${MAX_DETAIL_CHARS} allowed`);
  }
  return { actor: entry.actor, action: entry.action, target: entry.target, outcome: entry.outcome, detail };
}

function checkText(
  value: unknown,
  field: string,
  max: number,
  invalid: (problem: string) => StoreError,
): asserts value is string {
  if (typeof value !== 'string') throw invalid(`${field} must be a string`);
  if (value.length === 0) throw invalid(`${field} must not be empty`);
  if (value.length > max) throw invalid(`${field} is longer than ${max} characters`);
}
