import { z } from 'zod';

/**
 * Exceptions: every source record that could not go through a flow, one per (flow, source record),
 * kept until a person or a later run settles it. A run's `record_failures` stay its own history;
 * an exception gathers every attempt at the same record across runs.
 */
export const EXCEPTION_STAGES = ['extract', 'map', 'validate', 'load', 'reconcile'] as const;
export type ExceptionStage = (typeof EXCEPTION_STAGES)[number];

/**
 * What kind of fix an exception needs: transient (retry), data (the record is wrong), reference (a
 * code or a referenced record the target does not know yet), configuration (the mapping or the
 * connection), conflict (settle it in the target first), authorization (the integration user
 * lacks a right for this record).
 */
export const EXCEPTION_CLASSES = [
  'transient',
  'data',
  'reference',
  'configuration',
  'conflict',
  'authorization',
] as const;
export type ExceptionClass = (typeof EXCEPTION_CLASSES)[number];

export const EXCEPTION_STATES = ['open', 'retrying', 'resolved', 'ignored', 'dead'] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

/** States that still wait for something; retention never removes them (the store refuses it). */
export const UNSETTLED_EXCEPTION_STATES: readonly ExceptionState[] = ['open', 'retrying', 'dead'];

export const exceptionIdSchema = z
  .string()
  .max(64, 'Not an exception id')
  .regex(/^exc_[a-z0-9]{10,40}$/, 'Not an exception id');

/** One row of the inbox: what failed and why, without the payloads (those need `exceptions.get`). */
export interface ExceptionSummary {
  readonly id: string;
  readonly flowId: string;
  readonly sourceType: string;
  readonly sourceId: string;
  readonly stage: ExceptionStage;
  readonly class: ExceptionClass;
  readonly errorCode: string;
  /** The field the error names, when it names one ('' otherwise). */
  readonly errorField: string;
  /** code|field|value pattern: exceptions with the same signature have the same cause. */
  readonly signature: string;
  /** The target's own error text (or the failed rule's message), without tracebacks. */
  readonly errorMessage: string;
  readonly targetKey: string | null;
  readonly state: ExceptionState;
  readonly assignee: string | null;
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastFailedAt: string;
  readonly lastRunId: string;
  readonly resolvedByRun: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
  /** A retrying exception's next automatic retry (null when none is scheduled). */
  readonly nextAttemptAt: string | null;
  /** The active one-click fix covering it (shared/domain/exception-fix.ts), or null. */
  readonly fixId: string | null;
}

export interface ExceptionAttempt {
  readonly id: number;
  readonly runId: string | null;
  readonly at: string;
  readonly outcome: 'failed' | 'succeeded';
  readonly stage: ExceptionStage | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly sourceVersion: string;
}

export interface ExceptionNote {
  readonly id: number;
  readonly author: string;
  readonly at: string;
  readonly text: string;
}

/** The detail pane: the summary plus payloads (reading them is audited), attempts and notes. */
export interface ExceptionDetail extends ExceptionSummary {
  readonly sourceVersion: string;
  /** The source record as it first failed; never changed afterwards. */
  readonly sourcePayload: unknown;
  /** The newest failing version of the record when it differs from the original, else null. */
  readonly latestSourceVersion: string;
  readonly latestSourcePayload: unknown;
  /** The payload the mapping produced in the latest attempt (null when mapping itself failed). */
  readonly mappedPayload: unknown;
  readonly attemptHistory: readonly ExceptionAttempt[];
  readonly notes: readonly ExceptionNote[];
}

export interface ExceptionPage {
  readonly items: readonly ExceptionSummary[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/** Exceptions that share a signature (same code, field and value pattern): one cause, one fix. */
export interface ExceptionGroup {
  readonly signature: string;
  readonly errorCode: string;
  readonly errorField: string;
  readonly class: ExceptionClass;
  readonly count: number;
  readonly flows: number;
  readonly oldest: string;
  readonly newest: string;
  /** One member's message, to show what the group is about. */
  readonly sampleMessage: string;
}

export interface ExceptionCounts {
  readonly flowId: string;
  /** Open and retrying: waiting for the console or a person. */
  readonly open: number;
  readonly dead: number;
}

/** What the inbox filters on; every field narrows, none given means every exception. */
export interface ExceptionFilter {
  readonly flowId?: string | undefined;
  readonly class?: ExceptionClass | undefined;
  readonly state?: ExceptionState | undefined;
  /** A username, or null for the unassigned ones. */
  readonly assignee?: string | null | undefined;
  /** Part of the source record's id or of the error message (case-insensitive). */
  readonly text?: string | undefined;
  /** Created at or after / before these instants (the inbox's age filter). */
  readonly createdAfter?: string | undefined;
  readonly createdBefore?: string | undefined;
  readonly signature?: string | undefined;
}

/** The most exceptions one retry sends (a larger group or filter is refused: narrow it first). */
export const MAX_RETRY_SELECTION = 10_000;

/** The largest edited source payload an edit-and-replay accepts, as JSON text. */
export const MAX_EDITED_PAYLOAD_CHARS = 256 * 1024;

/** The replay runs a retry or an edit-and-replay queued: one per flow of the selection. */
export interface ReplayStarted {
  readonly runs: readonly { readonly runId: string; readonly flowId: string; readonly count: number }[];
  /** Exceptions of the selection not sent: settled already, or without a stored payload to send. */
  readonly skipped: number;
}
