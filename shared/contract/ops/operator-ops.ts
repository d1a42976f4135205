import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { passwordSchema, rolesSchema, usernameSchema, type Operator } from '../../domain/operator.js';
import { ADMIN, displayName, empty } from './common.js';

/** Operator accounts and roles (administrators only). */
export const operatorOperations = {
  'operators.list': operation({
    summary: 'List operator accounts',
    input: empty,
    output: returns<readonly Operator[]>(),
    access: ADMIN,
    kind: 'read',
  }),
  'operators.create': operation({
    summary: 'Create an operator account',
    input: z
      .object({ username: usernameSchema, displayName, password: passwordSchema, roles: rolesSchema })
      .strict(),
    output: returns<Operator>(),
    access: ADMIN,
    secretFields: ['password'],
    kind: 'write',
  }),
  'operators.update': operation({
    summary: "Change an operator's name, roles or disabled state",
    input: z
      .object({
        username: usernameSchema,
        displayName: displayName.optional(),
        roles: rolesSchema.optional(),
        disabled: z.boolean().optional(),
      })
      .strict(),
    output: returns<Operator>(),
    access: ADMIN,
    kind: 'write',
  }),
  'operators.resetPassword': operation({
    summary: "Set a new password for an operator (ends the operator's sessions)",
    input: z.object({ username: usernameSchema, password: passwordSchema }).strict(),
    output: returns<Operator>(),
    access: ADMIN,
    secretFields: ['password'],
    kind: 'write',
  }),
} as const;
