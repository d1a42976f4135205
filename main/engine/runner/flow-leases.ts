import type Database from 'better-sqlite3';
import { isDeadOwner } from './lease-owner.js';

export interface FlowLease {
  readonly owner: string;
  /** ISO instant; the holder renews it while it runs the flow. */
  readonly until: string;
}

/**
 * Reads who holds a flow's lease (flows.lease_owner / lease_until) and whether that holder can still
 * be running it. The lease is taken and renewed through FlowsRepo.claim; this only judges it.
 */
export class FlowLeases {
  private readonly holderQuery;

  constructor(
    db: Database.Database,
    private readonly self: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.holderQuery = db.prepare<[string], { lease_owner: string | null; lease_until: string | null }>(
      'SELECT lease_owner, lease_until FROM flows WHERE id = ?',
    );
  }

  holder(flowId: string): FlowLease | null {
    const row = this.holderQuery.get(flowId);
    if (!row?.lease_owner) return null;
    return { owner: row.lease_owner, until: row.lease_until ?? '' };
  }

  /**
   * Another engine that is alive holds the flow right now: its runs are its own. A lease that has
   * expired, or whose holder is gone (its process ended, or its pid now belongs to another
   * process), holds nothing.
   */
  heldByOther(flowId: string): FlowLease | null {
    const lease = this.holder(flowId);
    if (lease === null || lease.owner === this.self) return null;
    if (lease.until < this.now().toISOString()) return null;
    return isDeadOwner(lease.owner, this.self) ? null : lease;
  }
}

/** The pid part of an owner id, for messages ("console process 1234"). */
export function ownerPid(owner: string): string {
  return owner.split(':')[0] ?? owner;
}
