import { z } from 'zod';

/**
 * A flow's anomaly watch (issue 12, item 2), part of its definition (flow.ts). With it, each run's
 * writes are judged as one batch against the flow's own history before any is posted: its volume
 * (records), and its amount (the sum of `amountField` in the mapped payloads) when one is named.
 * Absent: the flow's batches are posted as they are, unjudged.
 */
export const flowAnomalySchema = z
  .object({
    /** A dot path into the mapped payload (e.g. `amount`; through a list, each item's value is summed: `invoice_line_ids.price_unit`); absent: volume only. */
    amountField: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'Use a dot path such as amount')
      .optional(),
    /** Comparable batches needed before anything is judged. */
    minHistory: z.number().int().min(3).max(100).default(8),
    /** The modified z-score above which a batch is held (Iglewicz & Hoaglin recommend 3.5). */
    threshold: z.number().min(1).max(50).default(3.5),
  })
  .strict();
export type FlowAnomaly = z.output<typeof flowAnomalySchema>;

export const HOLD_STATES = ['held', 'released', 'rejected'] as const;
export type HoldState = (typeof HOLD_STATES)[number];

/** A batch held as anomalous, as `holds.list` shows it (never a payload). */
export interface AnomalyHold {
  readonly id: string;
  readonly flowId: string;
  readonly flowName: string | null;
  readonly runId: string;
  readonly createdAt: string;
  readonly explanation: string;
  /** The writes held. */
  readonly size: number;
  readonly state: HoldState;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly reason: string | null;
}
