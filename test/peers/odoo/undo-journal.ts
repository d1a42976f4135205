import type { StoredRecord } from './model-types.js';

/**
 * The emulator's transactions: while one is open, every row about to change is remembered as it
 * was (a copy), so a failed call or `load` puts back exactly what it touched. This replaced a deep
 * copy of the whole database per write call, which at 100k invoices cost more than the writes.
 * Transactions nest (a `load` inside `execute_kw`); the journal empties when the outermost ends.
 */

/** A row as it was before a change (undefined: it did not exist), and its table's next id then. */
export interface UndoEntry {
  readonly model: string;
  readonly id: number;
  readonly before: StoredRecord | undefined;
  readonly nextId: number;
}

/** Where a transaction started in the journal; give it back to roll back to that point. */
export type Savepoint = number;

export class UndoJournal {
  private readonly entries: UndoEntry[] = [];
  private depth = 0;

  begin(): Savepoint {
    this.depth += 1;
    return this.entries.length;
  }

  /** Remember `current` (the live row, or undefined before a create), if a transaction is open. */
  remember(model: string, id: number, current: StoredRecord | undefined, nextId: number): void {
    if (this.depth === 0) return;
    this.entries.push({
      model,
      id,
      before: current === undefined ? undefined : structuredClone(current),
      nextId,
    });
  }

  /** The entries since `savepoint`, newest first, removed from the journal. */
  takeBack(savepoint: Savepoint): UndoEntry[] {
    return this.entries.splice(savepoint).reverse();
  }

  get open(): boolean {
    return this.depth > 0;
  }

  end(): void {
    this.depth = Math.max(0, this.depth - 1);
    // Outside any transaction nothing can be rolled back any more.
    if (this.depth === 0) this.entries.length = 0;
  }
}
