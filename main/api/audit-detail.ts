import { REDACTED_KEYS } from '../log/logger.js';

const SECRET_KEY_PATTERN = new RegExp(`^(${REDACTED_KEYS.join('|')})$`, 'i');

/**
 * The audit detail for a call's input: the operation's declared secret fields are dropped, and so is
 * any key that looks like one at any depth — a second line of defence if a contract entry forgets.
 */
export function auditDetailFromInput(
  input: unknown,
  secretFields: readonly string[] = [],
): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return {};
  const detail: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || secretFields.includes(key) || SECRET_KEY_PATTERN.test(key)) continue;
    detail[key] = scrub(value);
  }
  return detail;
}

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value === null || typeof value !== 'object') return value;
  return auditDetailFromInput(value);
}

/** The audit target when the handler names none: the id or username the call was about. */
export function defaultTarget(input: unknown): string | null {
  if (input === null || typeof input !== 'object') return null;
  const record = input as Record<string, unknown>;
  if (typeof record.id === 'string') return record.id;
  if (typeof record.username === 'string') return record.username;
  return null;
}
