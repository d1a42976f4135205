import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { ADMIN, empty } from './common.js';

/** A day is the finest retention age; ten years the longest that still means something. */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3650;

const retentionDays = z.number().int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS);

export interface RetentionSettings {
  /** Settled payloads older than this many days are pruned daily; null: kept forever (the default). */
  readonly payloadDays: number | null;
}

export interface RetentionPass {
  readonly olderThanDays: number;
  /** Payloads of rows settled before this moment (ISO) were pruned. */
  readonly olderThan: string;
  /** How many payloads were replaced by their marker. */
  readonly payloads: number;
  /** Per table, how many rows lost at least one payload. */
  readonly rows: Readonly<Record<string, number>>;
}

/**
 * Payload retention (issue 13, item 2): administrators set the age and prune on demand. Pruning
 * keeps every row, its metadata and its hashes; open, retrying and dead exceptions and anything under
 * an open reconciliation difference are never pruned. Each call is audited by the dispatcher, and
 * each pass also writes its own `store.payloads-pruned` row.
 */
export const retentionOperations = {
  'retention.settings': operation({
    summary: 'The payload retention age (days), or null when payloads are kept forever',
    input: empty,
    output: returns<RetentionSettings>(),
    access: ADMIN,
    kind: 'read',
  }),
  'retention.setPayloadDays': operation({
    summary: 'Set the age after which settled payloads are pruned daily (null: keep them forever)',
    input: z.object({ payloadDays: retentionDays.nullable() }).strict(),
    output: returns<RetentionSettings>(),
    access: ADMIN,
    kind: 'write',
  }),
  'retention.pruneNow': operation({
    summary: 'Prune settled payloads older than the given age (default: the configured one) now',
    input: z.object({ olderThanDays: retentionDays.optional() }).strict(),
    output: returns<RetentionPass>(),
    access: ADMIN,
    kind: 'write',
  }),
} as const;
