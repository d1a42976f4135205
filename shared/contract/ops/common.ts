import { z } from 'zod';
import type { Role } from '../roles.js';

export const CONFIGURE: readonly Role[] = ['it-staff', 'administrator'];
export const EVERY_ROLE: readonly Role[] = ['it-staff', 'finance', 'administrator', 'viewer'];
export const ADMIN: readonly Role[] = ['administrator'];
/** Source and mapped payloads may hold patient data: only the roles that act on failed records read them. */
export const PAYLOAD_READERS: readonly Role[] = ['finance', 'it-staff', 'administrator'];

export const empty = z.object({}).strict();
export const displayName = z.string().trim().min(1, 'Enter a display name').max(120);
