import type Database from 'better-sqlite3';
import { WITNESS_EVENT_TYPE } from '../../../shared/contract/ops/witness-types.js';
import type { WitnessDeliveryView } from '../../../shared/contract/ops/witness-types.js';
import { withRetries } from '../../connectors/http/retry-timing.js';
import { classifyHttpStatus } from '../../connectors/http/status-class.js';
import { ConnectorError } from '../../connectors/types.js';
import { postSignedWebhook } from '../../connectors/webhook/outbound-sender.js';
import type { StoredCheckpoint } from '../../store/audit/checkpoints/checkpoint-repo.js';
import { readPublicKeyPem } from '../../store/audit/checkpoints/checkpoint-signing-key.js';
import {
  WITNESS_DELIVERED_ACTION,
  WITNESS_FAILED_ACTION,
} from '../../store/audit/checkpoints/create-checkpoint.js';
import type { AuditAppend } from '../../store/types.js';
import { readSecretState } from '../../vault/read-secret.js';
import type { SecretReader } from '../../vault/types.js';
import { WitnessDeliveryRepo } from './witness-delivery-repo.js';
import { readWitnessSettings, WITNESS_SECRET_VAULT_ID, witnessUrl } from './witness-settings.js';

export interface WitnessTiming {
  /** Attempts within one pass (cockatiel's retry, exponential backoff with jitter). */
  readonly attemptsPerPass: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** After a pass gave up, the next pass waits base·2^attempts, at most this long. */
  readonly maxWaitBetweenPassesMs: number;
  readonly timeoutMs: number;
}

export const DEFAULT_WITNESS_TIMING: WitnessTiming = {
  attemptsPerPass: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxWaitBetweenPassesMs: 60 * 60_000,
  timeoutMs: 15_000,
};

export interface WitnessPusherDeps {
  readonly db: Database.Database;
  /** The keychain: the witness's signing secret and the checkpoint key's public half. */
  readonly secrets: SecretReader;
  readonly storeId: string;
  /** Each delivery and each failed pass, as a 'system' audit row. */
  readonly audit: (row: Omit<AuditAppend, 'actor'>) => void;
  readonly timing?: Partial<WitnessTiming>;
  readonly now?: () => number;
}

export interface WitnessPass {
  readonly delivered: number;
  /** Deliveries that did not get through this pass (pending for a later one, or failed for good). */
  readonly undelivered: number;
}

const DUE_PER_PASS = 50;

/**
 * One pass of the checkpoint witness: owes the witness every checkpoint signed since it was
 * configured (a durable row each, written before the first attempt, so a restart loses none), then
 * POSTs the due ones, oldest first, as {checkpoint, signature, keyId, publicKeyPem} signed with the
 * console's outbound webhook scheme (HMAC-SHA256, x-osc-signature; source = the store id, event id
 * = checkpoint-<store>-<id>, the same on every retry). A transient failure (network, 5xx, 408, 429)
 * is retried within the pass and then left pending for a later pass, which waits longer each time;
 * the pass stops there rather than hammer a witness that is down. A refusal no resend can change
 * (401, 404, other 4xx, a redirect) marks the delivery failed until an administrator saves the
 * witness again. A 409 means the witness already has it: delivered.
 */
export async function pushWitnessOnce(deps: WitnessPusherDeps): Promise<WitnessPass> {
  const timing = { ...DEFAULT_WITNESS_TIMING, ...deps.timing };
  const now = deps.now ?? Date.now;
  const repo = new WitnessDeliveryRepo(deps.db);
  const settings = readWitnessSettings(deps.db);
  if (settings === null || !repo.available()) return { delivered: 0, undelivered: 0 };
  const url = witnessUrl(settings.url);
  repo.enqueueNew(settings.fromCheckpointId, new Date(now()).toISOString());
  const due = repo.due(new Date(now()).toISOString(), DUE_PER_PASS);
  if (due.length === 0) return { delivered: 0, undelivered: 0 };
  const secret = await readSecretState(deps.secrets, WITNESS_SECRET_VAULT_ID);
  if (secret.state !== 'saved') {
    throw new Error(
      secret.state === 'missing'
        ? 'no signing secret is saved for the checkpoint witness: save one with its URL'
        : secret.message,
    );
  }
  const publicKeyPem = await readPublicKeyPem(deps.secrets);
  let delivered = 0;
  for (const [index, { checkpoint }] of due.entries()) {
    const outcome = await deliver(deps, repo, timing, now, {
      url,
      secret: secret.secret,
      checkpoint,
      publicKeyPem,
    });
    if (outcome.status === 'delivered') {
      delivered += 1;
      continue;
    }
    // A witness that is down is not asked again for the rest: they wait for the next pass.
    if (outcome.status === 'pending') return { delivered, undelivered: due.length - index };
  }
  return { delivered, undelivered: due.length - delivered };
}

async function deliver(
  deps: WitnessPusherDeps,
  repo: WitnessDeliveryRepo,
  timing: WitnessTiming,
  now: () => number,
  item: { url: URL; secret: string; checkpoint: StoredCheckpoint; publicKeyPem: string | null },
): Promise<WitnessDeliveryView> {
  const { checkpoint } = item;
  const body = JSON.stringify({
    checkpoint: checkpoint.checkpoint,
    signature: checkpoint.signature,
    keyId: checkpoint.keyId,
    publicKeyPem: item.publicKeyPem,
  });
  const eventId = `checkpoint-${deps.storeId}-${checkpoint.id}`;
  const attemptAt = (): string => new Date(now()).toISOString();
  const target = `checkpoint:${checkpoint.id}`;
  const witness = item.url.origin;
  try {
    const view = await withRetries(
      async () => {
        const at = attemptAt();
        let status: number;
        try {
          ({ status } = await postSignedWebhook({
            url: item.url,
            source: deps.storeId,
            secret: item.secret,
            eventId,
            eventType: WITNESS_EVENT_TYPE,
            body,
            timeoutMs: timing.timeoutMs,
            nowMs: now(),
          }));
        } catch (error) {
          throw new WitnessAttemptFailed(at, null, asConnectorError(error));
        }
        if ((status >= 200 && status < 300) || status === 409) {
          return repo.recordDelivered(checkpoint.id, { at, statusCode: status, error: null });
        }
        throw new WitnessAttemptFailed(at, status, statusError(status));
      },
      {
        schedule: {
          attempts: timing.attemptsPerPass,
          baseDelayMs: timing.baseDelayMs,
          maxDelayMs: timing.maxDelayMs,
        },
        isRetryable: (error) => error instanceof WitnessAttemptFailed && error.transient,
        onRetry: ({ error }) => {
          // Every attempt is counted on the row, so the page shows how hard the console tried.
          if (error instanceof WitnessAttemptFailed)
            repo.recordFailure(checkpoint.id, error.attempt, attemptAt());
        },
      },
    );
    deps.audit({
      action: WITNESS_DELIVERED_ACTION,
      target,
      outcome: 'ok',
      detail: {
        witness,
        seq: checkpoint.checkpoint.seq,
        attempts: view.attempts,
        status: view.lastStatusCode,
      },
    });
    return view;
  } catch (error) {
    if (!(error instanceof WitnessAttemptFailed)) throw error;
    const before = repo.get(checkpoint.id);
    const wait = Math.min(timing.maxWaitBetweenPassesMs, timing.baseDelayMs * 2 ** (before.attempts + 1));
    const next = error.transient ? new Date(now() + wait).toISOString() : null;
    const view = repo.recordFailure(checkpoint.id, error.attempt, next);
    deps.audit({
      action: WITNESS_FAILED_ACTION,
      target,
      outcome: 'error',
      detail: {
        witness,
        seq: checkpoint.checkpoint.seq,
        attempts: view.attempts,
        status: error.attempt.statusCode,
        error: error.message,
        nextAttemptAt: next,
      },
    });
    return view;
  }
}

/** One attempt that did not deliver, with what the witness answered (for the row and the audit). */
class WitnessAttemptFailed extends Error {
  readonly attempt: { at: string; statusCode: number | null; error: string };
  readonly transient: boolean;

  constructor(at: string, statusCode: number | null, cause: ConnectorError) {
    super(cause.message);
    this.name = 'WitnessAttemptFailed';
    this.attempt = { at, statusCode, error: cause.message };
    this.transient = cause.class === 'transient';
  }
}

function asConnectorError(error: unknown): ConnectorError {
  return error instanceof ConnectorError
    ? error
    : new ConnectorError(
        'transient',
        'witness.unexpected',
        error instanceof Error ? error.message : String(error),
      );
}

function statusError(status: number): ConnectorError {
  if (status >= 300 && status < 400) {
    return new ConnectorError(
      'configuration',
      'witness.redirect',
      `The witness answered a redirect (HTTP ${status}); update the URL.`,
    );
  }
  const class_ = classifyHttpStatus(status);
  const hint =
    class_ === 'authentication' ? ': it refused the signature — do both sides hold the same secret?' : '';
  return new ConnectorError(class_, `http.${status}`, `The witness answered HTTP ${status}${hint}`);
}
