import { z } from 'zod';
import { operation, returns } from '../operation.js';
import {
  connectionIdSchema,
  connectionNameSchema,
  connectionSettingsSchema,
  type Connection,
} from '../../domain/connection.js';
import type { ConnectionTestResult } from '../../domain/connection-test.js';
import type { ConnectionUsage } from '../../domain/connection-usage.js';
import { CONFIGURE, EVERY_ROLE, empty } from './common.js';

/** Connections and their keychain secrets. */
export const connectionOperations = {
  'connections.list': operation({
    summary: 'List connections (secrets show only as set / last changed)',
    input: empty,
    output: returns<readonly Connection[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'connections.get': operation({
    summary: 'One connection',
    input: z.object({ id: connectionIdSchema }).strict(),
    output: returns<Connection>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'connections.create': operation({
    summary: 'Create a connection',
    input: z.object({ name: connectionNameSchema, settings: connectionSettingsSchema }).strict(),
    output: returns<Connection>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'connections.update': operation({
    summary: "Change a connection's name or settings (its kind stays)",
    input: z
      .object({ id: connectionIdSchema, name: connectionNameSchema, settings: connectionSettingsSchema })
      .strict(),
    output: returns<Connection>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'connections.delete': operation({
    summary:
      'Delete a connection and its keychain secret; refused while flows use it unless pauseFlows disables them in the same step',
    input: z.object({ id: connectionIdSchema, pauseFlows: z.boolean().optional() }).strict(),
    output: returns<{ readonly id: string; readonly pausedFlows: readonly string[] }>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'connections.usages': operation({
    summary: 'The flows that use a connection (shown before it is deleted)',
    input: z.object({ id: connectionIdSchema }).strict(),
    output: returns<readonly ConnectionUsage[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'connections.setSecret': operation({
    summary: "Store or rotate a connection's secret in the OS keychain",
    input: z
      .object({
        id: connectionIdSchema,
        secret: z.string().min(1, 'Enter the secret').max(8192, 'A secret is at most 8192 characters'),
      })
      .strict(),
    output: returns<Connection>(),
    access: CONFIGURE,
    secretFields: ['secret'],
    kind: 'write',
  }),
  'connections.clearSecret': operation({
    summary: "Remove a connection's secret from the OS keychain",
    input: z.object({ id: connectionIdSchema }).strict(),
    output: returns<Connection>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'connections.test': operation({
    summary: 'Test a connection and say exactly what is wrong (reachability, TLS, credentials, rights)',
    input: z
      .object({
        id: connectionIdSchema,
        models: z
          .array(
            z
              .string()
              .max(128)
              .regex(/^[a-z][a-z0-9_.]{0,127}$/),
          )
          .max(50)
          .optional(),
      })
      .strict(),
    output: returns<ConnectionTestResult>(),
    access: CONFIGURE,
    kind: 'read',
  }),
} as const;
