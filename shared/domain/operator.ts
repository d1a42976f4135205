import { z } from 'zod';
import { ROLES, type Role } from '../contract/roles.js';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(64, 'Use 2–64 letters, digits, dot, dash or underscore')
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'Use 2–64 letters, digits, dot, dash or underscore');

/** Long enough to resist offline guessing of a stolen store; the only rule NIST SP 800-63B keeps. */
export const passwordSchema = z
  .string()
  .min(12, 'Use at least 12 characters')
  .max(256, 'Use at most 256 characters');

export const rolesSchema = z.array(z.enum(ROLES)).min(1, 'Give the operator at least one role');

export interface Operator {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly lastLoginAt: string | null;
}

export type SessionState = 'setup-required' | 'signed-out' | 'locked' | 'active';

export interface SessionStatus {
  readonly state: SessionState;
  readonly operator: Operator | null;
  /** Minutes of inactivity after which the session locks. */
  readonly idleLockMinutes: number;
  /** Sent to browser clients only: echoed in the x-csrf-token header on every call. */
  readonly csrfToken?: string;
}
