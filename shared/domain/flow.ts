import { z } from 'zod';
import { connectionIdSchema } from './connection.js';
import { flowAnomalySchema } from './flow-anomaly.js';
import { flowFallbackSchema } from './flow-fallback.js';
import { flowReconcileSchema } from './flow-reconcile.js';
import { mappingIdSchema } from './mapping.js';

/**
 * Flows: one kind of record moving from a source connection to a target connection, either
 * direction (partner → Odoo, Odoo → partner). The selector and the target operation are
 * connector-specific (a FHIR resource type + search, an Odoo model + domain; an Odoo model + upsert,
 * a FHIR conditional create, an outbound webhook event type); each connector validates its own.
 */

export const flowIdSchema = z
  .string()
  .max(64, 'Not a flow id')
  .regex(/^flow_[a-z0-9]{10,40}$/, 'Not a flow id');
export const flowNameSchema = z.string().trim().min(1, 'Give the flow a name').max(120);

const jsonObject = z
  .record(z.string().max(100), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, { message: 'At most 16 KiB of settings' });

export const flowScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }).strict(),
  z
    .object({
      kind: z.literal('cron'),
      /** Five or six fields, croner syntax, e.g. every 15 minutes: `0/15 * * * *` or `*\/15 * * * *`. */
      expression: z.string().trim().min(9).max(120),
      timezone: z.string().trim().max(64).optional(),
    })
    .strict(),
  /** Runs when the source connection receives a webhook or FHIR rest-hook notification. */
  z.object({ kind: z.literal('realtime') }).strict(),
]);
export type FlowSchedule = z.output<typeof flowScheduleSchema>;

/**
 * A flow's own automatic retry of transient exceptions (how many, from which delay growing to which),
 * instead of the console default (main/engine/store/retry-policy.ts). Limit 0: dead at once.
 */
export const flowAutoRetrySchema = z
  .object({
    limit: z.number().int().min(0).max(20),
    initialDelayMs: z.number().int().min(1000).max(86_400_000),
    maxDelayMs: z.number().int().min(1000).max(86_400_000),
  })
  .strict()
  .refine((policy) => policy.maxDelayMs >= policy.initialDelayMs, {
    message: 'The longest delay cannot be shorter than the first one',
    path: ['maxDelayMs'],
  });
export type FlowAutoRetry = z.output<typeof flowAutoRetrySchema>;

export const flowDefinitionSchema = z
  .object({
    name: flowNameSchema,
    description: z.string().max(2000).default(''),
    sourceConnectionId: connectionIdSchema,
    sourceSelector: jsonObject,
    targetConnectionId: connectionIdSchema,
    targetOperation: jsonObject,
    mappingId: mappingIdSchema,
    schedule: flowScheduleSchema.default({ kind: 'manual' }),
    batchSize: z.number().int().min(1).max(5000).default(200),
    /**
     * JSONata over the source record giving the ordering key: records with the same key are written
     * in source order, and a failure holds back only that key. Empty: the target key orders.
     */
    orderingKey: z.string().trim().max(500).default(''),
    /** "Data at most N minutes old": live status says when the last good sync is older than this. */
    freshnessObjectiveMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .nullable()
      .default(null),
    enabled: z.boolean().default(true),
    /** Automatic retries of this flow's transient exceptions; absent: the console default. */
    autoRetry: flowAutoRetrySchema.optional(),
    /**
     * Manual fallback (issue 11): the form, match keys and roles for entering this flow's
     * transactions by hand during an outage (flow-fallback.ts); absent: derived from the mapping.
     */
    fallback: flowFallbackSchema.optional(),
    /**
     * Anomaly holds (issue 12): each run's writes judged against the flow's history before posting,
     * an anomalous batch held for a human (flow-anomaly.ts); absent: batches are not judged.
     */
    anomaly: flowAnomalySchema.optional(),
    /**
     * Reconciliation (issue 12): per-period counts and sums in Odoo vs what this flow wrote (and the
     * source), drilled down to typed differences (flow-reconcile.ts); absent: not reconciled.
     */
    reconcile: flowReconcileSchema.optional(),
  })
  .strict();
export type FlowDefinition = z.output<typeof flowDefinitionSchema>;
export type FlowDefinitionInput = z.input<typeof flowDefinitionSchema>;

export const FLOW_STATES = ['idle', 'running', 'paused', 'disabled'] as const;
export type FlowState = (typeof FLOW_STATES)[number];

export interface Flow extends FlowDefinition {
  readonly id: string;
  readonly state: FlowState;
  /** The last committed cursor (opaque, connector-specific); null before the first run. */
  readonly cursor: string | null;
  readonly lastRunId: string | null;
  /** When the last run that finished without a run-level error ended: the data's freshness. */
  readonly lastSuccessAt: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** The portable form of a flow: connections and mappings are named, not referenced by local id. */
export const FLOW_FILE_FORMAT = 'osc.flow/1';
