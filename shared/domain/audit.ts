export const AUDIT_OUTCOMES = ['ok', 'denied', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One row of the hash-chained audit log, as the console shows it. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  /** Operator username, or 'engine' / 'system' for actions nobody clicked. */
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  /** Canonical JSON of what was done, with every secret-bearing field already removed. */
  readonly detail: string;
  readonly hash: string;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  /** Pass as `beforeSeq` to get the next (older) page; null at the start of the log. */
  readonly nextBeforeSeq: number | null;
  /**
   * The oldest row this answer looked at. A search reads a bounded window of rows per call so a
   * 10-million-row log never stalls the console: fewer entries than asked plus a `nextBeforeSeq`
   * means "nothing more matched back to this row; ask again to search older rows".
   */
  readonly searchedDownToSeq: number | null;
}

/** Kinds of things audit rows name by id; the explorer shows their names instead. */
export const AUDIT_OBJECT_KINDS = [
  'connection',
  'flow',
  'mapping',
  'operator',
  'exception',
  'run',
  'checkpoint',
] as const;
export type AuditObjectKind = (typeof AUDIT_OBJECT_KINDS)[number];

/** What an id found in a row's target or detail refers to. */
export interface AuditObject {
  readonly kind: AuditObjectKind;
  /** What a person calls it: a connection's or flow's name, an operator's display name, … */
  readonly name: string;
  /** The source record behind it (an exception's record), so the explorer can follow its lineage. */
  readonly lineage?: {
    readonly sourceId: string;
    readonly sourceType: string;
    readonly flowId: string;
  };
}

/** A page of the explorer: the rows plus the names of every id they mention. */
export interface AuditExplorerPage extends AuditPage {
  /** Keyed by the raw id as it appears in `target` or in the detail; ids nobody knows are absent. */
  readonly objects: Readonly<Record<string, AuditObject>>;
}

/** One chunk of a CSV export, oldest first; ask again with `afterSeq` until it is null. */
export interface AuditCsvChunk {
  /** CSV text (RFC 4180, CRLF); the header line only in the first chunk (no `afterSeq`). */
  readonly csv: string;
  readonly rows: number;
  /** Pass as `afterSeq` for the next chunk; null when the period is exhausted. */
  readonly nextAfterSeq: number | null;
}

export type AuditVerification =
  | { readonly ok: true; readonly rows: number; readonly headSeq: number; readonly headHash: string }
  | {
      readonly ok: false;
      readonly rows: number;
      /** The first row that does not verify (or the seq where a row is missing). */
      readonly brokenSeq: number;
      readonly reason: string;
    };

/** What the printable audit report holds for a period (chronological). */
export interface AuditReport {
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  /** The operator who asked for it. */
  readonly generatedBy: string;
  /** Matching rows in the period, whatever the cap below. */
  readonly totalRows: number;
  readonly byOutcome: Readonly<Record<AuditOutcome, number>>;
  /** The most frequent actions in the period, most frequent first. */
  readonly topActions: readonly { readonly action: string; readonly count: number }[];
  /** The first rows of the period (at most `AUDIT_REPORT_MAX_ROWS`); the CSV export has them all. */
  readonly entries: readonly AuditEntry[];
  readonly truncated: boolean;
  readonly objects: Readonly<Record<string, AuditObject>>;
  /** The whole chain, walked when the report was made. */
  readonly verification: AuditVerification;
  /** The newest signed checkpoint and whether it matches this log (signature and head row). */
  readonly checkpoint: {
    readonly id: number;
    readonly seq: number;
    readonly headHash: string;
    readonly merkleRoot: string;
    readonly at: string;
    readonly keyId: string;
    readonly signature: string;
    /** The signature verifies with this store's public key and row `seq` carries `headHash`. */
    readonly matchesLog: boolean;
    readonly problem: string | null;
  } | null;
}

export const AUDIT_REPORT_MAX_ROWS = 2000;
