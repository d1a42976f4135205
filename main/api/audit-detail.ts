import { REDACTED_KEYS } from '../log/logger.js';

const SECRET_KEY_PATTERN = new RegExp(`^(${REDACTED_KEYS.join('|')})$`, 'i');

/**
 * Audit rows describe who did what to which thing; they are not a copy of the input. A refused call
 * can carry anything (a megabyte-long id, a pasted document), and the store refuses a row whose
 * target or detail is over its caps, which used to turn a clean refusal into an unaudited 500. So
 * every text that reaches a row is cut to these lengths, marked as cut, with its real length kept.
 */
export const AUDIT_TARGET_MAX_CHARS = 200;
const AUDIT_TEXT_MAX_CHARS = 500;
const AUDIT_KEY_MAX_CHARS = 100;
const AUDIT_ARRAY_MAX_ITEMS = 50;
/** Well under the store's 64 KiB detail cap, so a big but valid input (a mapping spec) still fits. */
const AUDIT_DETAIL_MAX_CHARS = 16 * 1024;

/** A long text cut to `max` characters, saying how long it was; short texts are kept as they are. */
export function boundedText(value: string, max: number = AUDIT_TEXT_MAX_CHARS): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… (${value.length} characters)`;
}

/**
 * The audit detail for a call's input: the operation's declared secret fields are dropped, and so is
 * any key that looks like one at any depth — a second line of defence if a contract entry forgets.
 * Long texts, long keys and long arrays are cut; a detail still too big is replaced by its key list.
 */
export function auditDetailFromInput(
  input: unknown,
  secretFields: readonly string[] = [],
): Record<string, unknown> {
  const detail = scrubObject(input, secretFields);
  if (JSON.stringify(detail).length <= AUDIT_DETAIL_MAX_CHARS) return detail;
  return { omitted: 'the input is too large for the audit log', fields: Object.keys(detail) };
}

function scrubObject(input: unknown, secretFields: readonly string[]): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return {};
  const detail: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || secretFields.includes(key) || SECRET_KEY_PATTERN.test(key)) continue;
    detail[boundedText(key, AUDIT_KEY_MAX_CHARS)] = scrub(value);
  }
  return detail;
}

function scrub(value: unknown): unknown {
  if (typeof value === 'string') return boundedText(value);
  if (Array.isArray(value)) {
    const kept = value.slice(0, AUDIT_ARRAY_MAX_ITEMS).map(scrub);
    return value.length > AUDIT_ARRAY_MAX_ITEMS ? [...kept, `… (${value.length} items)`] : kept;
  }
  if (value === null || typeof value !== 'object') return value;
  return scrubObject(value, []);
}

/** The audit target when the handler names none: the id or username the call was about (the dispatcher bounds it). */
export function defaultTarget(input: unknown): string | null {
  if (input === null || typeof input !== 'object') return null;
  const record = input as Record<string, unknown>;
  const named = typeof record.id === 'string' ? record.id : record.username;
  return typeof named === 'string' && named.length > 0 ? named : null;
}
