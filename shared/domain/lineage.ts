/**
 * Record lineage: source system + type + id + version + payload hash → run → mapping version →
 * target model + external ID + target id → outcome. Every write adds a row; an earlier row for the
 * same target record is superseded (its correction history), never changed.
 */
export const LINEAGE_OUTCOMES = ['created', 'updated', 'failed'] as const;
export type LineageOutcome = (typeof LINEAGE_OUTCOMES)[number];

export interface LineageEntry {
  readonly seq: number;
  readonly at: string;
  readonly runId: string;
  readonly flowId: string;
  readonly sourceSystem: string;
  readonly sourceType: string;
  readonly sourceId: string;
  readonly sourceVersion: string;
  readonly sourceHash: string;
  readonly mappingId: string;
  readonly mappingVersion: number;
  readonly targetSystem: string;
  /** Odoo model or FHIR resource type or webhook event type. */
  readonly targetModel: string;
  /** The idempotency key (external ID / identifier) written to the target. */
  readonly targetKey: string;
  /** The target's own id (Odoo database id, FHIR Resource/id); null when the write failed. */
  readonly targetId: string | null;
  readonly payloadHash: string;
  readonly outcome: LineageOutcome;
  /** The lineage row this one corrects (the previous write of the same target record). */
  readonly supersedes: number | null;
  readonly errorCode: string | null;
}

export interface LineageTrail {
  /** Oldest first: the full correction history of each record found. */
  readonly entries: readonly LineageEntry[];
  /** Names of the flows and mappings the entries mention, so pages show names (unknown ids are absent). */
  readonly flowNames: Readonly<Record<string, string>>;
  readonly mappingNames: Readonly<Record<string, string>>;
}
