/**
 * One numbered schema step. Its checksum (sha256 of `sql`) is recorded when applied, so editing an
 * applied migration is caught at the next start instead of silently diverging.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
