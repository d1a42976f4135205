/**
 * Row locks of requests still in progress, for `load`'s serialization failures. In Odoo a `load`
 * that updates rows keeps them locked until its transaction commits, when the request answers; a
 * second, overlapping `load` on the same rows (a killed client's request still running, plus its
 * retry) waits for that commit and then fails each of those rows with "could not serialize access
 * due to concurrent update" (REPEATABLE READ), as row messages of its own answer.
 *
 * The emulator does its work at once and then waits out its latency model before answering, so a
 * request holds the rows it updated from its work until its answer; an overlapping `load` that
 * meets one of them fails that row and answers only once the holder has answered. A fault can also
 * make the next loads fail every row this way (`faults.serializationConflictNext`).
 */

interface Holder {
  readonly rows: string[];
  readonly released: Promise<void>;
  readonly release: () => void;
}

export class RowLocks {
  private readonly holders = new Map<number, Holder>();
  private readonly heldBy = new Map<string, number>();
  private nextOwner = 1;
  /** The request whose (synchronous) work is running now, and the holders it ran into. */
  private current: { owner: number; waits: Set<number> } | null = null;
  private forced = 0;
  /** How many forced conflicts were served (fault evidence). */
  forcedServed = 0;

  /** Start the work of one request; its locks last until `release(owner)`. */
  start(): number {
    const owner = this.nextOwner;
    this.nextOwner += 1;
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.holders.set(owner, { rows: [], released, release });
    this.current = { owner, waits: new Set() };
    return owner;
  }

  /** End of the synchronous work: what the request must wait for before answering. */
  finish(): Promise<void> {
    const waits = [...(this.current?.waits ?? [])].flatMap((owner) => {
      const holder = this.holders.get(owner);
      return holder === undefined ? [] : [holder.released];
    });
    this.current = null;
    return Promise.all(waits).then(() => undefined);
  }

  /** The request answered (or gave up): its transaction is over, its rows are free. */
  release(owner: number): void {
    const holder = this.holders.get(owner);
    if (holder === undefined) return;
    for (const row of holder.rows) if (this.heldBy.get(row) === owner) this.heldBy.delete(row);
    this.holders.delete(owner);
    holder.release();
  }

  /** Make the next `count` loads fail every row as if another transaction held them all. */
  forceConflicts(count: number): void {
    this.forced += count;
  }

  clearForced(): void {
    this.forced = 0;
  }

  /** Called once per `load`: whether a forced conflict applies to it. */
  takeForcedConflict(): boolean {
    if (this.forced === 0) return false;
    this.forced -= 1;
    this.forcedServed += 1;
    return true;
  }

  /**
   * Lock `model,id` for the running request. Returns false when another request in progress holds
   * it: the caller fails that row, and the running request answers only after the holder has.
   */
  lock(model: string, id: number): boolean {
    const current = this.current;
    if (current === null) return true;
    const row = `${model},${id}`;
    const holder = this.heldBy.get(row);
    if (holder !== undefined && holder !== current.owner && this.holders.has(holder)) {
      current.waits.add(holder);
      return false;
    }
    this.heldBy.set(row, current.owner);
    this.holders.get(current.owner)?.rows.push(row);
    return true;
  }
}
