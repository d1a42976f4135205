import type { Role } from '../contract/roles.js';

/**
 * Manual fallback (issue 11, item 3): transactions entered by hand while a source system is down,
 * through a form built from the flow's source fields. An entry is mapped and validated like a source
 * record, sent (or queued in the outbox) under a provisional key, and matched to the source's own
 * event when it arrives late, so nothing is posted twice.
 */

export const FALLBACK_FIELD_TYPES = ['text', 'number', 'date-time', 'date'] as const;
export type FallbackFieldType = (typeof FALLBACK_FIELD_TYPES)[number];

export interface FallbackField {
  /** The form field's name (what `fallback.enter` takes in `values`). */
  readonly name: string;
  readonly label: string;
  readonly type: FallbackFieldType;
  readonly required: boolean;
  /** Where the value goes in the source record the entry stands in for (dot path). */
  readonly path: string;
  readonly help?: string;
}

export interface FallbackForm {
  readonly flowId: string;
  readonly flowName: string;
  /** The source record type the entry stands in for (e.g. FHIR SupplyDelivery). */
  readonly sourceType: string;
  readonly fields: readonly FallbackField[];
  /** Field names that identify the same event when the source delivers it (e.g. encounter + code + day). */
  readonly matchKeys: readonly string[];
  /** Roles allowed to enter transactions for this flow (administrators always). */
  readonly roles: readonly Role[];
  /** Whether the flow's target takes writes now (else the entry waits in the outbox). */
  readonly targetUp: boolean;
  /**
   * What the operator should know about this form, e.g. that it was derived from the mapping and has
   * no match keys, so entries are not matched to the source's own events automatically.
   */
  readonly notice?: string;
}

export const FALLBACK_STATES = ['queued', 'sent', 'failed', 'matched', 'differs'] as const;
export type FallbackState = (typeof FALLBACK_STATES)[number];

export interface FallbackEntry {
  readonly id: string;
  readonly flowId: string;
  /** The provisional target key the entry was written under. */
  readonly provisionalKey: string;
  readonly values: Readonly<Record<string, string | number>>;
  readonly reason: string;
  readonly enteredBy: string;
  readonly enteredAt: string;
  readonly state: FallbackState;
  /** The source record that matched it later, when one did. */
  readonly matchedSourceId: string | null;
  /** Field names whose values differed in that match (state 'differs'). */
  readonly differences: readonly string[];
  /** The exception opened for review when the match differed. */
  readonly exceptionId: string | null;
}
