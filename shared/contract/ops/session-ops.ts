import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { passwordSchema, usernameSchema, type SessionStatus } from '../../domain/operator.js';
import { displayName, empty } from './common.js';

/** Signing in and out, first-run setup, locking. */
export const sessionOperations = {
  'session.status': operation({
    // Over HTTP it also hands the session's CSRF token to the console's own script, and is the one
    // operation that needs none: a reloaded page or a new tab asks it first (see operation-route.ts).
    summary: 'Who is signed in, and whether first-run setup or unlock is needed',
    input: empty,
    output: returns<SessionStatus>(),
    access: 'public',
    kind: 'read',
  }),
  'session.setupFirstAdmin': operation({
    summary: 'Create the first administrator (only while no operator exists)',
    input: z.object({ username: usernameSchema, displayName, password: passwordSchema }).strict(),
    output: returns<SessionStatus>(),
    access: 'public',
    secretFields: ['password'],
    kind: 'write',
  }),
  'session.login': operation({
    summary: 'Sign in',
    input: z
      .object({ username: z.string().trim().toLowerCase().max(64), password: z.string().max(256) })
      .strict(),
    output: returns<SessionStatus>(),
    access: 'public',
    secretFields: ['password'],
    kind: 'write',
  }),
  'session.unlock': operation({
    summary: 'Unlock a session locked after inactivity, with the same operator password',
    input: z.object({ password: z.string().max(256) }).strict(),
    output: returns<SessionStatus>(),
    access: 'public',
    secretFields: ['password'],
    kind: 'write',
  }),
  'session.lock': operation({
    summary: 'Lock the session now',
    input: empty,
    output: returns<SessionStatus>(),
    access: 'any-operator',
    kind: 'write',
  }),
  'session.logout': operation({
    summary: 'Sign out',
    input: empty,
    output: returns<SessionStatus>(),
    access: 'public',
    kind: 'write',
  }),
} as const;
