import { z } from 'zod';

/**
 * One-click fixes that change an exception's cause (issue 10), then replay what that cause blocked:
 *
 * - `map-code`: a code the flow's value map lacks is added as a new DRAFT mapping version (four-eyes
 *   approval still applies); the moment a version holding that entry is active, every unsettled
 *   exception blocked by the same missing code is replayed.
 * - `await-reference`: exceptions naming a record the target does not have yet wait for it, and are
 *   replayed after a run wrote through the same target connection, and on a growing backoff.
 */
export const EXCEPTION_FIX_KINDS = ['map-code', 'await-reference'] as const;
export type ExceptionFixKind = (typeof EXCEPTION_FIX_KINDS)[number];

/**
 * awaiting-approval → awaiting-activation → replaying → done for `map-code`; waiting → done for
 * `await-reference`. `superseded`: everything it covered was settled otherwise before it applied.
 */
export const EXCEPTION_FIX_STATES = [
  'awaiting-approval',
  'awaiting-activation',
  'waiting',
  'replaying',
  'done',
  'superseded',
] as const;
export type ExceptionFixState = (typeof EXCEPTION_FIX_STATES)[number];

/** States in which a fix still has work ahead (the default of `exceptions.fixes`). */
export const ACTIVE_EXCEPTION_FIX_STATES: readonly ExceptionFixState[] = [
  'awaiting-approval',
  'awaiting-activation',
  'waiting',
  'replaying',
];

export interface ExceptionFixProgress {
  readonly total: number;
  readonly resolved: number;
  readonly failed: number;
  readonly pending: number;
}

export interface ExceptionFix {
  readonly id: string;
  readonly kind: ExceptionFixKind;
  readonly state: ExceptionFixState;
  readonly signature: string;
  readonly flowId: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  // map-code only (null otherwise):
  readonly mappingId: string | null;
  readonly mappingVersion: number | null;
  readonly valueMap: string | null;
  readonly code: string | null;
  readonly mappedTo: string | null;
  /** Exceptions the fix covers, and how far their replay got. */
  readonly progress: ExceptionFixProgress;
  readonly replayRunIds: readonly string[];
  /** await-reference: when the next automatic replay of the waiting exceptions is due (else null). */
  readonly nextAttemptAt: string | null;
}

export const exceptionFixIdSchema = z
  .string()
  .max(64, 'Not a fix id')
  .regex(/^fix_[a-z0-9]{10,40}$/, 'Not a fix id');

/** The error code of a record whose value-map code has no entry (main/engine/mapping/compile-mapping.ts). */
export const UNMAPPED_CODE_ERROR = 'mapping.unmapped-code';

const UNMAPPED_CODE_MESSAGE = /^Value map "([^"\n]{1,64})" has no entry for code "([^\n]{0,200})"\.$/;

/**
 * The value map and the code out of the mapping's exact message `Value map "X" has no entry for
 * code "K".` (compile-mapping.ts writes it; the exception keeps it as its error message). Null when
 * the message is not that one (a code with a line break, a message cut short).
 */
export function unmappedCodeOf(message: string): { valueMap: string; code: string } | null {
  const match = UNMAPPED_CODE_MESSAGE.exec(message.trim());
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return { valueMap: match[1], code: match[2] };
}
