/**
 * The one small interface every connector implements (Odoo, FHIR, webhooks, CSV), so the engine sees
 * pages of records with a stable source id, a version, and a cursor to commit only once the page's
 * outcome is durable.
 */

/**
 * How a failure should be handled: retried later, shown to a person, or fixed in configuration.
 * `conflict` is a per-record failure that a person must settle in the target first (for example an
 * invoice Odoo has posted, which the console never rewrites); retrying it unchanged cannot help.
 */
export type FailureClass = 'transient' | 'permanent' | 'authentication' | 'configuration' | 'conflict';

export interface ConnectorErrorInfo {
  readonly class: FailureClass;
  /** Stable machine code, e.g. 'odoo.ValidationError', 'http.503', 'fhir.not-found', 'csv.bad-row'. */
  readonly code: string;
  /** The peer's own message, kept for the operator (never contains a secret). */
  readonly message: string;
}

export class ConnectorError extends Error implements ConnectorErrorInfo {
  constructor(
    readonly class_: FailureClass,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectorError';
  }
  get class(): FailureClass {
    return this.class_;
  }
  toInfo(): ConnectorErrorInfo {
    return { class: this.class_, code: this.code, message: this.message };
  }
}

export interface SourceRecord {
  /** Record type in the source system, e.g. 'ChargeItem', 'res.partner', 'supplier-invoice'. */
  readonly type: string;
  /** Stable id within the source system and type. */
  readonly sourceId: string;
  /** Version (FHIR meta.versionId, Odoo write_date, file checksum + line) or a content hash. */
  readonly version: string;
  /** Last-modified time when the source has one (ISO 8601). */
  readonly updatedAt: string | null;
  readonly data: unknown;
}

export interface SourcePage {
  readonly records: readonly SourceRecord[];
  /** Commit this cursor only after every record of the page has a durable outcome. */
  readonly cursor: string | null;
}

export interface ExtractRequest {
  /** What to read: a FHIR resource type + search params, an Odoo model + domain, a CSV layout. */
  readonly selector: Readonly<Record<string, unknown>>;
  /** The last committed cursor, or null for the beginning (or a backfill date). */
  readonly cursor: string | null;
  readonly pageSize: number;
  readonly signal?: AbortSignal;
}

export interface Source {
  readonly system: string;
  extract(request: ExtractRequest): AsyncIterable<SourcePage>;
}

export interface TargetWrite {
  /** Idempotency key: the external id / conditional-create identity derived from the source record. */
  readonly key: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export type TargetOutcome =
  | { readonly key: string; readonly ok: true; readonly targetId: string; readonly created: boolean }
  | { readonly key: string; readonly ok: false; readonly error: ConnectorErrorInfo };

export interface WriteRequest {
  /** Target operation and its parameters: an Odoo model + 'upsert' | 'create' | action, a FHIR type. */
  readonly operation: Readonly<Record<string, unknown>>;
  readonly records: readonly TargetWrite[];
  /**
   * The target ids the engine recorded for some of these keys (key → target id), from earlier
   * successful writes of the same flow. A target that must look at the existing record first (is
   * this invoice posted?) uses it; a key missing here may still exist in the target.
   */
  readonly knownTargetIds?: ReadonlyMap<string, string>;
  /** Aborts calls in flight (an engine shutdown, a write past its budget). */
  readonly signal?: AbortSignal;
  /**
   * Aborted when the run is cancelled: cuts short a pause between attempts (a backoff, a peer's
   * Retry-After) but never a request in flight, whose answer the batch still records.
   */
  readonly waitSignal?: AbortSignal;
}

export interface Target {
  readonly system: string;
  /** One outcome per record, in input order; a bad record never blocks the others. */
  write(request: WriteRequest): Promise<TargetOutcome[]>;
}
