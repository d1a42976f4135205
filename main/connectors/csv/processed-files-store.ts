import type Database from 'better-sqlite3';

/**
 * The `csv_files` table (migration 002): each file's sha256 and what became of it. An archived
 * checksum is never processed again for the same connection; a rejected one may come back after a
 * configuration fix.
 */
export interface ProcessedFile {
  readonly connectionId: string;
  readonly sha256: string;
  readonly fileName: string;
  readonly bytes: number;
  readonly status: 'archived' | 'rejected';
  readonly rows: number;
  readonly reason: string | null;
  readonly movedTo: string;
}

export class ProcessedFilesStore {
  private readonly insertStatement: Database.Statement;
  private readonly archivedStatement: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.insertStatement = db.prepare(
      `INSERT INTO csv_files (connection_id, sha256, file_name, bytes, status, rows, reason, moved_to, processed_at)
       VALUES (@connectionId, @sha256, @fileName, @bytes, @status, @rows, @reason, @movedTo, @processedAt)`,
    );
    this.archivedStatement = db.prepare(
      `SELECT file_name AS fileName, processed_at AS processedAt FROM csv_files
       WHERE connection_id = ? AND sha256 = ? AND status = 'archived'`,
    );
  }

  record(file: ProcessedFile): void {
    this.insertStatement.run({ ...file, processedAt: this.now().toISOString() });
  }

  /** The earlier archived file with these bytes, or undefined. */
  archived(connectionId: string, sha256: string): { fileName: string; processedAt: string } | undefined {
    return this.archivedStatement.get(connectionId, sha256) as
      { fileName: string; processedAt: string } | undefined;
  }
}
