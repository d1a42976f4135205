import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { flowDefinitionSchema, flowIdSchema, type Flow } from '../../domain/flow.js';
import type { LineageTrail } from '../../domain/lineage.js';
import {
  mappingFileSchema,
  mappingIdSchema,
  mappingNameSchema,
  mappingSpecSchema,
  type MappedPreview,
  type Mapping,
  type MappingDiff,
  type MappingFile,
  type MappingVersion,
  type MappingWithVersions,
} from '../../domain/mapping.js';
import type { RecordFailure, Run } from '../../domain/run.js';
import { ADMIN, CONFIGURE, EVERY_ROLE, PAYLOAD_READERS, empty } from './common.js';

/**
 * The sync engine: flows, versioned mappings, runs and lineage. IT staff and administrators
 * configure and run; only an administrator approves a mapping version, and never their own (the
 * server checks the author); finance and viewers read.
 */
const runIdSchema = z
  .string()
  .max(64, 'Not a run id')
  .regex(/^run_[a-z0-9]{10,40}$/, 'Not a run id');
const versionSchema = z.number().int().positive().max(1_000_000);
const note = z.string().trim().max(500).default('');
const isoDate = z
  .string()
  .trim()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'Use a date like 2026-01-31 or an ISO instant')
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'Not a real date' });

const flowOperations = {
  'flows.list': operation({
    summary: 'List flows with their state, cursor and last run',
    input: empty,
    output: returns<readonly Flow[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'flows.get': operation({
    summary: 'One flow',
    input: z.object({ id: flowIdSchema }).strict(),
    output: returns<Flow>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'flows.create': operation({
    summary: 'Create a flow',
    input: flowDefinitionSchema,
    output: returns<Flow>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'flows.update': operation({
    summary: "Change a flow's source, target, mapping, schedule or limits",
    input: z.object({ id: flowIdSchema, definition: flowDefinitionSchema }).strict(),
    output: returns<Flow>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'flows.delete': operation({
    summary: 'Delete a flow (its runs and lineage stay as evidence)',
    input: z.object({ id: flowIdSchema }).strict(),
    output: returns<{ readonly id: string }>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'flows.setEnabled': operation({
    summary: 'Enable a flow, or pause its schedule (a running run finishes its batch and pauses)',
    input: z.object({ id: flowIdSchema, enabled: z.boolean() }).strict(),
    output: returns<Flow>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'flows.runNow': operation({
    summary: 'Run a flow now from its committed cursor',
    input: z.object({ id: flowIdSchema }).strict(),
    output: returns<Run>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'flows.backfill': operation({
    summary: 'Run a flow again from a date (unchanged records are skipped by payload hash)',
    input: z.object({ id: flowIdSchema, from: isoDate }).strict(),
    output: returns<Run>(),
    access: CONFIGURE,
    kind: 'write',
  }),
} as const;

const mappingOperations = {
  'mappings.list': operation({
    summary: 'List mappings with their active and latest versions',
    input: empty,
    output: returns<readonly Mapping[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'mappings.get': operation({
    summary: 'One mapping with every version',
    input: z.object({ id: mappingIdSchema }).strict(),
    output: returns<MappingWithVersions>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'mappings.create': operation({
    summary: 'Create a mapping with its first draft version',
    input: z
      .object({
        name: mappingNameSchema,
        description: z.string().max(2000).default(''),
        spec: mappingSpecSchema,
        note,
      })
      .strict(),
    output: returns<MappingWithVersions>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'mappings.saveDraft': operation({
    summary: 'Save a new draft version of a mapping (earlier versions stay as they are)',
    input: z.object({ id: mappingIdSchema, spec: mappingSpecSchema, note }).strict(),
    output: returns<MappingVersion>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'mappings.approve': operation({
    summary: 'Approve a draft version (an administrator other than its author)',
    input: z.object({ id: mappingIdSchema, version: versionSchema }).strict(),
    output: returns<MappingVersion>(),
    access: ADMIN,
    kind: 'write',
  }),
  'mappings.activate': operation({
    summary: 'Make an approved version the one flows run with (the previous one is retired)',
    input: z.object({ id: mappingIdSchema, version: versionSchema }).strict(),
    output: returns<MappingVersion>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'mappings.diff': operation({
    summary: 'What changed between two versions of a mapping',
    input: z.object({ id: mappingIdSchema, from: versionSchema, to: versionSchema }).strict(),
    output: returns<MappingDiff>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'mappings.preview': operation({
    summary: 'Run a mapping over sample source records and show payloads and rule results (writes nothing)',
    input: z
      .object({
        spec: mappingSpecSchema,
        samples: z.array(z.unknown()).min(1, 'Give at least one sample record').max(100),
      })
      .strict()
      .refine((input) => JSON.stringify(input.samples).length <= 1_000_000, {
        message: 'Samples are limited to 1 MB',
        path: ['samples'],
      }),
    output: returns<readonly MappedPreview[]>(),
    access: CONFIGURE,
    kind: 'read',
  }),
  'mappings.export': operation({
    summary: 'A mapping with all its versions as a file for change management',
    input: z.object({ id: mappingIdSchema }).strict(),
    output: returns<MappingFile>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'mappings.import': operation({
    summary: 'Import a mapping file: its newest version becomes a new draft awaiting approval',
    input: z.object({ file: mappingFileSchema }).strict(),
    output: returns<MappingWithVersions>(),
    access: CONFIGURE,
    kind: 'write',
  }),
} as const;

const runOperations = {
  'runs.list': operation({
    summary: 'Recent runs, newest first, optionally of one flow',
    input: z
      .object({ flowId: flowIdSchema.optional(), limit: z.number().int().min(1).max(500).default(50) })
      .strict(),
    output: returns<readonly Run[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'runs.get': operation({
    summary: 'One run with its counts and cursors',
    input: z.object({ id: runIdSchema }).strict(),
    output: returns<Run>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'runs.failures': operation({
    summary: 'The records of a run that did not go through, with stage, error and payload',
    input: z
      .object({
        id: runIdSchema,
        afterId: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: returns<readonly RecordFailure[]>(),
    access: PAYLOAD_READERS,
    kind: 'read',
  }),
  'runs.pause': operation({
    summary: 'Pause a run after its current batch',
    input: z.object({ id: runIdSchema }).strict(),
    output: returns<Run>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'runs.resume': operation({
    summary: 'Resume a paused run',
    input: z.object({ id: runIdSchema }).strict(),
    output: returns<Run>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'runs.cancel': operation({
    summary: 'Cancel a run after its current batch (the cursor stays at the last durable batch)',
    input: z.object({ id: runIdSchema }).strict(),
    output: returns<Run>(),
    access: CONFIGURE,
    kind: 'write',
  }),
} as const;

const lineageOperations = {
  'lineage.bySource': operation({
    summary: 'What a source record became, with its correction history',
    input: z
      .object({
        sourceId: z.string().trim().min(1).max(512),
        sourceType: z.string().trim().max(128).optional(),
        flowId: flowIdSchema.optional(),
      })
      .strict(),
    output: returns<LineageTrail>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'lineage.byTarget': operation({
    summary: 'Where a target record (by external ID or target id) came from',
    input: z
      .object({
        targetModel: z.string().trim().min(1).max(128),
        targetKey: z.string().trim().min(1).max(512).optional(),
        targetId: z.string().trim().min(1).max(128).optional(),
      })
      .strict()
      .refine((input) => input.targetKey !== undefined || input.targetId !== undefined, {
        message: 'Give the external ID (targetKey) or the target id',
      }),
    output: returns<LineageTrail>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
} as const;

export const engineOperations = {
  ...flowOperations,
  ...mappingOperations,
  ...runOperations,
  ...lineageOperations,
} as const;
