import { z } from 'zod';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { mappingSpecSchema, type MappedPreview, type MappingSpec } from '../../../shared/domain/mapping.js';
import type { FallbackEntry } from '../../../shared/domain/fallback.js';
import { RUN_TRIGGERS, type Run } from '../../../shared/domain/run.js';
import { MAX_SHADOW_RECORDS, type ShadowRunSummary } from '../../../shared/domain/shadow.js';
import type { ShadowStartInput } from '../shadow/shadow-runs.js';
import {
  exceptionIdSchema,
  MAX_RETRY_SELECTION,
  type ReplayStarted,
} from '../../../shared/domain/exception.js';

/**
 * The typed channel between the serving thread and the engine worker. Requests are answered by id;
 * the worker also pushes live events and audit rows, and asks for secrets (the keychain stays with
 * the serving side; a secret crosses only in memory, for one call, and is never stored or logged).
 */
export interface EngineRequestMap {
  enqueue: {
    input: {
      readonly flowId: string;
      readonly trigger: Run['trigger'];
      readonly requestedBy: string;
      readonly backfillFrom: string | null;
    };
    output: Run;
  };
  pause: { input: { readonly runId: string }; output: Run };
  resume: { input: { readonly runId: string }; output: Run };
  cancel: { input: { readonly runId: string }; output: Run };
  flowsChanged: { input: Record<string, never>; output: { readonly scheduled: number } };
  /** Replay runs sending these exceptions' stored records again (one run per flow). */
  retryExceptions: {
    input: { readonly exceptionIds: readonly string[]; readonly requestedBy: string };
    output: ReplayStarted;
  };
  /** Edit-and-replay: validated with the active mapping in the worker (a slow expression stays here). */
  replayEdited: {
    input: {
      readonly exceptionId: string;
      readonly sourcePayload: Readonly<Record<string, unknown>>;
      readonly requestedBy: string;
    };
    output: ReplayStarted;
  };
  /** A mapping version was activated: one-click fixes waiting for it start their replays now. */
  applyFixes: { input: Record<string, never>; output: Record<string, never> };
  status: { input: Record<string, never>; output: EngineStatus };
  /**
   * Send waiting outbox writes now (degraded mode switched off, a fallback entry queued): a run per
   * flow with waiting writes, of one connection's flows or of one flow. Answers the runs queued.
   */
  drainOutbox: {
    input: {
      readonly connectionId: string | null;
      readonly flowId: string | null;
      readonly requestedBy: string;
    };
    output: { readonly runIds: readonly string[] };
  };
  /** A manual fallback entry: mapped and validated here (the worker), queued in the outbox, drained. */
  enterFallback: {
    input: {
      readonly flowId: string;
      readonly values: Readonly<Record<string, string | number>>;
      readonly reason: string;
      readonly enteredBy: string;
    };
    output: FallbackEntry;
  };
  /**
   * A mapping's preview over sample records. Evaluated here, never on the serving thread: a slow or
   * hostile JSONata expression blocks the thread it runs on, and there it would freeze every request.
   */
  previewMapping: {
    input: { readonly spec: MappingSpec; readonly samples: readonly unknown[] };
    output: readonly MappedPreview[];
  };
  /** A shadow run (issue 12): checked and recorded as running here, carried on in the background. */
  shadowRun: { input: ShadowStartInput; output: ShadowRunSummary };
}

export interface EngineStatus {
  readonly activeRuns: number;
  readonly queuedRuns: number;
  readonly ownerId: string;
}

export type EngineRequestType = keyof EngineRequestMap;
export type EngineInput<K extends EngineRequestType> = EngineRequestMap[K]['input'];
export type EngineOutput<K extends EngineRequestType> = EngineRequestMap[K]['output'];

export interface EngineFailure {
  readonly code: string;
  readonly message: string;
}

/** Serving thread → worker. */
export type ToWorker =
  | { readonly kind: 'init'; readonly dataDir: string }
  | {
      readonly kind: 'request';
      readonly id: number;
      readonly type: EngineRequestType;
      readonly input: unknown;
    }
  | {
      readonly kind: 'secret-reply';
      readonly id: number;
      readonly secret: string | null;
      readonly error: EngineFailure | null;
    }
  | { readonly kind: 'stop' };

/** Worker → serving thread. */
export type FromWorker =
  | { readonly kind: 'ready'; readonly ownerId: string }
  | { readonly kind: 'response'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly kind: 'response'; readonly id: number; readonly ok: false; readonly error: EngineFailure }
  | { readonly kind: 'event'; readonly event: LiveEvent }
  | { readonly kind: 'audit'; readonly entries: readonly AuditEntry[] }
  | { readonly kind: 'secret-request'; readonly id: number; readonly connectionId: string }
  | { readonly kind: 'fatal'; readonly error: EngineFailure }
  /** Something the engine did on its own (a crashed run resumed, a wait for a left call): for the log. */
  | { readonly kind: 'log'; readonly message: string }
  | { readonly kind: 'stopped' };

const runId = z.string().regex(/^run_[a-z0-9]{10,40}$/);
const flowId = z.string().regex(/^flow_[a-z0-9]{10,40}$/);

/** The worker parses every request before acting on it, as it would any message crossing a boundary. */
export const engineInputSchemas: { readonly [K in EngineRequestType]: z.ZodType<EngineInput<K>> } = {
  enqueue: z
    .object({
      flowId,
      trigger: z.enum(RUN_TRIGGERS),
      requestedBy: z.string().min(1).max(128),
      backfillFrom: z.string().max(64).nullable(),
    })
    .strict(),
  pause: z.object({ runId }).strict(),
  resume: z.object({ runId }).strict(),
  cancel: z.object({ runId }).strict(),
  flowsChanged: z.object({}).strict(),
  retryExceptions: z
    .object({
      exceptionIds: z.array(exceptionIdSchema).min(1).max(MAX_RETRY_SELECTION),
      requestedBy: z.string().min(1).max(128),
    })
    .strict(),
  replayEdited: z
    .object({
      exceptionId: exceptionIdSchema,
      sourcePayload: z.record(z.string(), z.unknown()),
      requestedBy: z.string().min(1).max(128),
    })
    .strict(),
  applyFixes: z.object({}).strict(),
  status: z.object({}).strict(),
  drainOutbox: z
    .object({
      connectionId: z.string().max(64).nullable(),
      flowId: flowId.nullable(),
      requestedBy: z.string().min(1).max(128),
    })
    .strict(),
  enterFallback: z
    .object({
      flowId,
      values: z.record(z.string().min(1).max(80), z.union([z.string().max(2000), z.number()])),
      reason: z.string().min(1).max(500),
      enteredBy: z.string().min(1).max(128),
    })
    .strict(),
  previewMapping: z
    .object({ spec: mappingSpecSchema, samples: z.array(z.unknown()).min(1).max(100) })
    .strict(),
  shadowRun: z
    .object({
      flowId,
      version: z.number().int().min(1),
      since: z.string().max(64).nullable(),
      limit: z.number().int().min(1).max(MAX_SHADOW_RECORDS),
      requestedBy: z.string().min(1).max(128),
    })
    .strict(),
};

export function isEngineRequestType(type: string): type is EngineRequestType {
  return Object.hasOwn(engineInputSchemas, type);
}

export const toWorkerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('init'), dataDir: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('request'),
    id: z.number().int().nonnegative(),
    type: z.string().max(64),
    input: z.unknown(),
  }),
  z.object({
    kind: z.literal('secret-reply'),
    id: z.number().int().nonnegative(),
    secret: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  }),
  z.object({ kind: z.literal('stop') }),
]);
