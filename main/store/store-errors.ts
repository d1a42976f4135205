/**
 * Named errors for the ways a store can refuse to open or to write. Each carries a stable `code` so
 * the CLI, the worker channel and the API can report it without a stack trace; the message says what
 * is wrong and what the operator can do, because the store never "recovers" by resetting data.
 */
export type StoreErrorCode =
  | 'store-too-new'
  | 'migration-checksum'
  | 'migration-state'
  | 'migration-failed'
  | 'store-missing'
  | 'store-unreadable'
  | 'store-damaged'
  | 'store-lost'
  | 'invalid-audit-entry'
  | 'audit-in-transaction'
  | 'invalid-backup-reason';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The file was written by a newer version of the console; opening it with this one could corrupt it. */
export class StoreTooNewError extends StoreError {
  constructor(
    readonly path: string,
    readonly fileVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      'store-too-new',
      `The store ${path} has schema version ${fileVersion}, but this version of the console only knows up ` +
        `to ${codeVersion}. Install the newer console that wrote it; the file was not changed.`,
    );
    this.name = 'StoreTooNewError';
  }
}

/** An applied migration's SQL differs from the code's: the schema may not be what the code expects. */
export class MigrationChecksumError extends StoreError {
  constructor(
    readonly migration: string,
    detail: string,
  ) {
    super(
      'migration-checksum',
      `Migration ${migration} does not match the one applied to this store (${detail}). ` +
        'Applied migrations must never be edited; restore the original migration file.',
    );
    this.name = 'MigrationChecksumError';
  }
}

export class MigrationFailedError extends StoreError {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(
      'migration-failed',
      `Migration ${migration} failed and every pending migration was rolled back; the store is unchanged. ` +
        `Reason: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'MigrationFailedError';
  }
}
