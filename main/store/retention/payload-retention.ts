import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { Store } from '../types.js';
import { prunePayloads, totalPruned, type PruneCounts } from './prune-payloads.js';
import { isRetentionDays } from './retention-settings.js';

export const PAYLOADS_PRUNED_ACTION = 'store.payloads-pruned';

export interface PayloadRetentionRun {
  readonly olderThanDays: number;
  /** Payloads of rows settled before this moment were pruned. */
  readonly olderThan: string;
  readonly counts: PruneCounts;
  readonly payloads: number;
  readonly entry: AuditEntry;
}

/**
 * One retention pass: prunes settled payloads older than `days` and writes one audit row saying what
 * (rows per table), how many payloads and older than when, under `actor` (the scheduled job:
 * 'system'; an administrator's on-demand run: their name). The audit log itself never holds
 * payloads (rows carry ids, counts and hashes), so the chain and its anchor verify unchanged.
 */
export function runPayloadRetention(
  store: Pick<Store, 'db' | 'audit'>,
  options: { readonly days: number; readonly actor: string; readonly now: Date },
): PayloadRetentionRun {
  if (!isRetentionDays(options.days)) throw new RangeError('payload retention needs a whole number of days');
  const cutoff = new Date(options.now.getTime() - options.days * 24 * 60 * 60_000);
  const counts = prunePayloads(store.db, { cutoff, at: options.now });
  const payloads = totalPruned(counts);
  const entry = store.audit.append({
    actor: options.actor,
    action: PAYLOADS_PRUNED_ACTION,
    target: 'payloads',
    outcome: 'ok',
    detail: {
      olderThanDays: options.days,
      olderThan: cutoff.toISOString(),
      payloads,
      rows: Object.fromEntries(Object.entries(counts).map(([table, { rows }]) => [table, rows])),
    },
  });
  return { olderThanDays: options.days, olderThan: cutoff.toISOString(), counts, payloads, entry };
}
