import type { z } from 'zod';
import { auditOperations } from './ops/audit-ops.js';
import { breakerOperations } from './ops/breaker-ops.js';
import { checkpointOperations } from './ops/checkpoint-ops.js';
import { connectionOperations } from './ops/connection-ops.js';
import { dashboardOperations } from './ops/dashboard-ops.js';
import { engineOperations } from './ops/engine-ops.js';
import { exceptionFixOperations } from './ops/exception-fix-ops.js';
import { exceptionOperations } from './ops/exception-ops.js';
import { holdOperations } from './ops/hold-ops.js';
import { reconcileOperations } from './ops/reconcile-ops.js';
import { retentionOperations } from './ops/retention-ops.js';
import { operatorOperations } from './ops/operator-ops.js';
import { outageOperations } from './ops/outage-ops.js';
import { serviceOperations } from './ops/service-ops.js';
import { sessionOperations } from './ops/session-ops.js';
import { shadowOperations } from './ops/shadow-ops.js';

/**
 * The API contract: every console operation, declared once (one file per domain under ops/). The
 * preload bridge, the IPC handlers, the HTTP routes, the renderer client, the authorization check and
 * the role-matrix test all derive from this table. Input schemas are strict: unknown keys are an
 * error, not silently dropped.
 */
export const operations = {
  ...sessionOperations,
  ...operatorOperations,
  ...connectionOperations,
  ...auditOperations,
  ...checkpointOperations,
  ...engineOperations,
  ...serviceOperations,
  ...exceptionOperations,
  ...exceptionFixOperations,
  ...breakerOperations,
  ...outageOperations,
  ...holdOperations,
  ...dashboardOperations,
  ...reconcileOperations,
  ...shadowOperations,
  ...retentionOperations,
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
export type ParsedInput<N extends OperationName> = z.output<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = Operations[N]['output'] extends {
  readonly __returns?: infer T;
}
  ? T
  : never;

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === 'string' && Object.hasOwn(operations, value);
}
