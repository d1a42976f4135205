import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { ADMIN, EVERY_ROLE, empty } from './common.js';
import {
  MAX_WITNESS_SECRET_LENGTH,
  MAX_WITNESS_URL_LENGTH,
  MIN_WITNESS_SECRET_LENGTH,
  type WitnessView,
} from './witness-types.js';

const witnessUrl = z
  .string()
  .trim()
  .min(1, 'Enter the witness URL')
  .max(MAX_WITNESS_URL_LENGTH, `A URL is at most ${MAX_WITNESS_URL_LENGTH} characters`)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'Enter an http(s) URL');

/** A signed checkpoint of the audit log head as the API answers it (never the private key). */
export interface AuditCheckpointView {
  readonly id: number;
  readonly reason: 'scheduled' | 'on-demand' | 'cli';
  readonly checkpoint: {
    readonly storeId: string;
    readonly seq: number;
    readonly headHash: string;
    readonly merkleRoot: string;
    readonly at: string;
  };
  /** Ed25519 over the canonical JSON of `checkpoint`, base64. */
  readonly signature: string;
  /** sha256 of the public key (SPKI DER), hex. */
  readonly keyId: string;
}

/**
 * Signed audit checkpoints (issue 13, item 1). Everyone who reads the audit log may read and export
 * checkpoints and the public key (they are meant to be handed out); only administrators sign one
 * on demand, and that is audited.
 */
export const checkpointOperations = {
  'audit.checkpoint': operation({
    summary: 'Sign a checkpoint of the audit log head now (Ed25519, key in the OS keychain)',
    input: empty,
    output: returns<AuditCheckpointView>(),
    access: ADMIN,
    kind: 'write',
  }),
  'audit.checkpoints': operation({
    summary: 'Signed audit checkpoints, newest first, each exportable as a JSON file',
    input: z
      .object({
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    output: returns<{ readonly items: readonly AuditCheckpointView[] }>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'audit.publicKey': operation({
    summary: "The public key (PEM) that verifies this store's checkpoints; null before the first checkpoint",
    input: empty,
    output: returns<{ readonly publicKeyPem: string | null; readonly keyId: string | null }>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'audit.witness': operation({
    summary: 'The checkpoint witness: its URL, whether a signing secret is saved, the latest deliveries',
    input: empty,
    output: returns<WitnessView>(),
    access: ADMIN,
    kind: 'read',
  }),
  'audit.setWitness': operation({
    summary:
      'Push every signed checkpoint to this URL, HMAC-signed with the secret (kept in the OS keychain); null turns it off',
    input: z
      .object({
        url: witnessUrl.nullable(),
        /** Write-only: omitted keeps the saved secret. */
        secret: z
          .string()
          .min(
            MIN_WITNESS_SECRET_LENGTH,
            `A signing secret is at least ${MIN_WITNESS_SECRET_LENGTH} characters`,
          )
          .max(
            MAX_WITNESS_SECRET_LENGTH,
            `A signing secret is at most ${MAX_WITNESS_SECRET_LENGTH} characters`,
          )
          .optional(),
      })
      .strict(),
    output: returns<WitnessView>(),
    access: ADMIN,
    secretFields: ['secret'],
    kind: 'write',
  }),
  'audit.pushWitnessNow': operation({
    summary: 'Push the checkpoints the witness has not yet received now, instead of at their next retry',
    input: empty,
    output: returns<WitnessView>(),
    access: ADMIN,
    kind: 'write',
  }),
} as const;
