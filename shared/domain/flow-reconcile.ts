import { z } from 'zod';

/**
 * A flow's reconciliation settings (issue 12, item 1), part of its definition (flow.ts). With them,
 * every write the flow makes leaves a fact (what the source said: period date, amount) in the same
 * transaction as its lineage, and a reconciliation compares per period: counts and amount sums in
 * Odoo (one grouped call), in the console's facts, and — when the source can count server-side —
 * in the source. A differing period is split into days and only those days are read record by
 * record, so each difference gets a type (RECONCILE_DIFFERENCE_TYPES) and an exception.
 */

const odooFieldSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[a-z_][a-z0-9_]*$/, 'An Odoo field name, e.g. invoice_date');

/** JSONata (a dot path is JSONata too) over the flow's mapped payload. */
const payloadExpressionSchema = z.string().trim().min(1).max(500);

/** An Odoo domain: a list of `[field, operator, value]` triples and '&' / '|' / '!' operators. */
const domainTermSchema = z.union([
  z.enum(['&', '|', '!']),
  z.tuple([
    z.string().min(1).max(100),
    z.string().min(1).max(20),
    z.union([
      z.string().max(500),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(z.union([z.string().max(500), z.number()])).max(200),
    ]),
  ]),
]);

export const RECONCILE_PERIODS = ['day', 'month'] as const;
export type ReconcilePeriod = (typeof RECONCILE_PERIODS)[number];

export const flowReconcileSchema = z
  .object({
    period: z.enum(RECONCILE_PERIODS).default('month'),
    /** The Odoo date/datetime field that places a record in a period (invoice_date, date). */
    targetDateField: odooFieldSchema,
    /** The Odoo field summed per period (amount_untaxed); absent: counts only. */
    targetAmountField: odooFieldSchema.optional(),
    /** Over the mapped payload: the expected date (e.g. `invoice_date`). */
    payloadDate: payloadExpressionSchema,
    /** Over the mapped payload: the expected amount (e.g. `$sum(invoice_line_ids.(quantity*price_unit))`). */
    payloadAmount: payloadExpressionSchema.optional(),
    /** Scopes the Odoo records this flow owns; a hand-made record inside it is found as extra. */
    targetDomain: z.array(domainTermSchema).max(20).default([]),
    /** The Odoo field holding the flow's business key: an extra with a known key is a duplicate. */
    keyField: odooFieldSchema.optional(),
    /** A FHIR date search parameter (e.g. `occurrence`): the source is counted per period too. */
    sourceDateParam: z
      .string()
      .trim()
      .max(64)
      .regex(/^[a-z][a-z0-9-]{0,63}$/, 'A FHIR search parameter, e.g. occurrence')
      .optional(),
    /** How many periods back (the current one included) each reconciliation looks. */
    lookbackPeriods: z.number().int().min(1).max(400).default(3),
    /** Cron (croner syntax) for scheduled reconciliations; absent: on demand only. */
    schedule: z.string().trim().min(9).max(120).optional(),
  })
  .strict()
  .refine(
    (settings) => (settings.payloadAmount === undefined) === (settings.targetAmountField === undefined),
    {
      message: 'Give both the Odoo amount field and the payload amount, or neither',
      path: ['targetAmountField'],
    },
  );
export type FlowReconcile = z.output<typeof flowReconcileSchema>;
export type FlowReconcileInput = z.input<typeof flowReconcileSchema>;

export const RECONCILE_DIFFERENCE_TYPES = [
  'missing-in-odoo',
  'extra-in-odoo',
  'amount-differs',
  'duplicate',
  'never-synced',
  'changed-in-odoo',
] as const;
export type ReconcileDifferenceType = (typeof RECONCILE_DIFFERENCE_TYPES)[number];

/** What the inbox and the report call each type. */
export const RECONCILE_DIFFERENCE_LABELS: Readonly<Record<ReconcileDifferenceType, string>> = {
  'missing-in-odoo': 'Missing in Odoo',
  'extra-in-odoo': 'Extra in Odoo',
  'amount-differs': 'Amount differs',
  duplicate: 'Duplicate in Odoo',
  'never-synced': 'Source event never synced',
  'changed-in-odoo': 'Changed in Odoo behind the console',
};

export interface ReconcileTotals {
  readonly count: number;
  readonly amount: number | null;
}

/** One period of a reconciliation, as the report shows it. */
export interface ReconcilePeriodResult {
  /** The period's first day (YYYY-MM-DD). */
  readonly period: string;
  readonly odoo: ReconcileTotals;
  readonly console: ReconcileTotals;
  /** Null when the source cannot count server-side. */
  readonly source: { readonly count: number } | null;
  readonly balanced: boolean;
  readonly differences: number;
}

export interface ReconcileDifference {
  readonly id: number;
  readonly runId: string;
  readonly period: string;
  readonly day: string;
  readonly type: ReconcileDifferenceType;
  readonly targetKey: string | null;
  readonly odooId: number | null;
  readonly sourceId: string | null;
  readonly expected: string | null;
  readonly found: string | null;
  readonly message: string;
  readonly exceptionId: string | null;
  /** Whether its exception is still unsettled (open, retrying or dead). */
  readonly open: boolean;
}

export const RECONCILE_RUN_STATES = ['running', 'balanced', 'differences', 'failed'] as const;
export type ReconcileRunState = (typeof RECONCILE_RUN_STATES)[number];

export interface ReconcileRun {
  readonly id: string;
  readonly flowId: string;
  readonly trigger: 'manual' | 'schedule';
  readonly requestedBy: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly state: ReconcileRunState;
  readonly periods: number;
  readonly periodsBalanced: number;
  readonly differencesFound: number;
  readonly differencesNew: number;
  /** Odoo calls the run made (grouped and drill-down reads). */
  readonly odooCalls: number;
  readonly error: string | null;
}

/** One flow's reconciliation status (reconcile.status). */
export interface ReconcileStatus {
  readonly flowId: string;
  readonly flowName: string;
  readonly period: ReconcilePeriod;
  readonly schedule: string | null;
  readonly lastRun: ReconcileRun | null;
  readonly lastCheckedAt: string | null;
  readonly periodsBalanced: number;
  readonly periodsDiffering: number;
  readonly openDifferences: number;
}

/** A flow's report: the periods of its last reconciliation and their differences. */
export interface ReconcileReport {
  readonly flowId: string;
  readonly flowName: string;
  readonly run: ReconcileRun | null;
  readonly periods: readonly ReconcilePeriodResult[];
  readonly differences: readonly ReconcileDifference[];
}
