/**
 * The outbound checkpoint witness (issue 13): every signed checkpoint is POSTed, signed with
 * HMAC-SHA256 like the console's outbound webhooks, to a system the clinic chooses, so a copy of
 * each signed head lives outside this machine. Kept apart from checkpoint-ops.ts so the renderer's
 * view logic can import the types without the schemas.
 */
export type WitnessDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WitnessDeliveryView {
  readonly checkpointId: number;
  /** The checkpointed row (the head the checkpoint signs). */
  readonly seq: number;
  /** pending: not yet delivered, retried at nextAttemptAt; failed: refused for good (fix the URL or secret). */
  readonly status: WitnessDeliveryStatus;
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
}

export interface WitnessView {
  /** The witness URL, or null when no witness is configured (checkpoints stay local). */
  readonly url: string | null;
  /** Whether a signing secret is in the OS keychain; the secret itself never leaves main. */
  readonly secretSaved: boolean;
  /** The newest deliveries first (at most 20). */
  readonly deliveries: readonly WitnessDeliveryView[];
}

/** The header the witness checks, and what it signs: the console's outbound webhook scheme. */
export const WITNESS_EVENT_TYPE = 'audit.checkpoint';
export const MAX_WITNESS_URL_LENGTH = 2048;
export const MIN_WITNESS_SECRET_LENGTH = 16;
export const MAX_WITNESS_SECRET_LENGTH = 8192;
