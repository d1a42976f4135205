/** One row of the hash-chained audit log, as the console shows it. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  /** Operator username, or 'engine' / 'system' for actions nobody clicked. */
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: 'ok' | 'denied' | 'error';
  /** Canonical JSON of what was done, with every secret-bearing field already removed. */
  readonly detail: string;
  readonly hash: string;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  /** Pass as `beforeSeq` to get the next (older) page; null at the start of the log. */
  readonly nextBeforeSeq: number | null;
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
