import { z } from 'zod';

/**
 * Shadow runs (issue 12, item 3): a mapping version tried on real source records without writing
 * anything. Each record is mapped with the tried version and with the active one, compared field by
 * field, and its tried payload checked by Odoo in a transaction Odoo rolls back (see
 * main/connectors/odoo/dry-run-load.ts for exactly what Odoo checks there and what it does not).
 */

export const shadowRunIdSchema = z
  .string()
  .max(40, 'Not a shadow run id')
  .regex(/^shadow_[0-9a-f]{20}$/, 'Not a shadow run id');

export const SHADOW_STATES = ['running', 'finished', 'failed'] as const;
export type ShadowState = (typeof SHADOW_STATES)[number];

/**
 * What the target said about a record's tried payload:
 * - accepted: Odoo saved it in the rolled-back transaction without an error;
 * - refused: Odoo answered an error for it (its message is kept);
 * - unmapped: the tried version could not map it, or one of its error rules refused it;
 * - unchecked: the target cannot check writes without keeping them (a FHIR or webhook target).
 */
export const SHADOW_VERDICTS = ['accepted', 'refused', 'unmapped', 'unchecked'] as const;
export type ShadowVerdict = (typeof SHADOW_VERDICTS)[number];

/** One field whose value differs between the active version's payload and the tried one's. */
export interface ShadowFieldDiff {
  /** Dotted path into the payload, lines by index: `invoice_line_ids[0].price_unit`. */
  readonly path: string;
  /** undefined (absent) is reported as null with `activeMissing`/`shadowMissing` set. */
  readonly active: unknown;
  readonly shadow: unknown;
  readonly activeMissing?: true;
  readonly shadowMissing?: true;
  /** What Odoo holds now for a top-level plain field of an already written record, when read. */
  readonly odoo?: unknown;
}

export interface ShadowRecordResult {
  readonly seq: number;
  readonly sourceId: string;
  readonly sourceVersion: string;
  readonly key: string | null;
  /** The record's Odoo id when the flow wrote it before (its known target id), else null. */
  readonly targetId: string | null;
  readonly verdict: ShadowVerdict;
  /** Odoo's message for a refused record, or the mapping's for an unmapped one. */
  readonly message: string | null;
  /** Whether the active version mapped this record; null without an active version. */
  readonly activeMapped: boolean | null;
  /** Null when the mapping has no active version to compare with (a new flow). */
  readonly diffs: readonly ShadowFieldDiff[] | null;
}

export interface ShadowWindow {
  /** Read the source from this time (ISO 8601); null: from the beginning. */
  readonly since: string | null;
  /** Keep the last this many records read. */
  readonly limit: number;
}

export interface ShadowRunSummary {
  readonly id: string;
  readonly flowId: string;
  readonly mappingId: string;
  readonly version: number;
  /** The active version compared with; null when none was active. */
  readonly activeVersion: number | null;
  readonly window: ShadowWindow;
  readonly state: ShadowState;
  readonly startedAt: string;
  readonly startedBy: string;
  readonly finishedAt: string | null;
  /** UTC day of the start: a promotion counts clean periods as distinct days with a clean run. */
  readonly period: string;
  readonly records: number;
  readonly differing: number;
  readonly accepted: number;
  readonly refused: number;
  readonly unmapped: number;
  readonly unchecked: number;
  /**
   * Finished, at least one record, none refused by Odoo, and none the tried version failed to map
   * that the active version mapped (a record both refuse, e.g. by a price rule, is no regression).
   */
  readonly clean: boolean;
  /** What the target checked, in words (shown with the report). */
  readonly checkedBy: string;
  readonly error: string | null;
}

export interface ShadowReport {
  readonly run: ShadowRunSummary;
  readonly records: readonly ShadowRecordResult[];
  /** False for roles that may not read payloads: values are left out, paths and verdicts stay. */
  readonly valuesShown: boolean;
}

/** A mapping's promotion gate: how many clean shadow periods a version needs before activation. */
export interface ShadowGate {
  readonly mappingId: string;
  readonly periodsRequired: number;
  /** Clean periods per version of the mapping that has any. */
  readonly cleanPeriods: readonly { readonly version: number; readonly periods: number }[];
}

export const MAX_SHADOW_RECORDS = 1000;
export const MAX_SHADOW_PERIODS = 30;
