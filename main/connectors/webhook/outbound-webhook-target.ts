import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { WebhookOutSettings } from '../../../shared/domain/connection.js';
import type { SecretReader } from '../../vault/types.js';
import { connectorSecret } from '../http/connector-secret.js';
import { checkOutboundUrl } from '../http/outbound-url-policy.js';
import { withRetries } from '../http/retry-timing.js';
import { classifyHttpStatus } from '../http/status-class.js';
import type { ConnectorErrorInfo, Target, TargetOutcome, WriteRequest } from '../types.js';
import { ConnectorError } from '../types.js';
import type { Delivery, DeliveryStore } from './delivery-store.js';
import { postSignedWebhook } from './outbound-sender.js';

/**
 * Outbound webhooks as a Target (Odoo → partner flows). Each record becomes a durable delivery row
 * first, then is POSTed signed, retried with exponential backoff and jitter on transient failures
 * (5xx, 408, 429 — whose Retry-After, capped, replaces the backoff — network errors) up to
 * `maxAttempts` over the delivery's life, and marked dead after that. Every attempt is recorded. 4xx answers other than 408/429 are final: resending the same body cannot change them.
 * A 409 from the subscriber means it already has the event, which counts as delivered.
 */
const operationSchema = z.object({ eventType: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/) });

export interface OutboundWebhookTargetOptions {
  readonly connectionId: string;
  readonly settings: WebhookOutSettings;
  readonly secrets: SecretReader;
  readonly deliveries: DeliveryStore;
  readonly backoff?: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly now?: () => number;
  readonly dispatcher?: Dispatcher;
}

export class OutboundWebhookTarget implements Target {
  readonly system = 'webhook-out';
  private readonly backoff: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  private readonly now: () => number;

  constructor(private readonly options: OutboundWebhookTargetOptions) {
    this.backoff = options.backoff ?? { baseDelayMs: 1000, maxDelayMs: 60_000 };
    this.now = options.now ?? Date.now;
  }

  async write(request: WriteRequest): Promise<TargetOutcome[]> {
    const operation = operationSchema.safeParse(request.operation);
    if (!operation.success) {
      const error: ConnectorErrorInfo = {
        class: 'configuration',
        code: 'webhook.bad-operation',
        message: 'The outbound webhook operation needs an eventType such as "purchase.order.approved".',
      };
      return request.records.map((record) => ({ key: record.key, ok: false, error }));
    }
    const outcomes: TargetOutcome[] = [];
    for (const record of request.records) {
      const delivery = this.options.deliveries.enqueue(
        this.options.connectionId,
        record.key,
        operation.data.eventType,
        JSON.stringify(record.payload),
      );
      outcomes.push(await this.deliver(record.key, delivery, request.signal, request.waitSignal));
    }
    return outcomes;
  }

  /** Deliveries left pending by a crash or a cancelled run, retried now (oldest first). */
  async resumeDue(limit: number, signal?: AbortSignal): Promise<TargetOutcome[]> {
    const outcomes: TargetOutcome[] = [];
    for (const delivery of this.options.deliveries.due(this.options.connectionId, limit)) {
      outcomes.push(await this.deliver(delivery.deliveryKey, delivery, signal));
    }
    return outcomes;
  }

  private async deliver(
    key: string,
    initial: Delivery,
    signal: AbortSignal | undefined,
    waitSignal?: AbortSignal,
  ): Promise<TargetOutcome> {
    let delivery = initial;
    if (delivery.status === 'delivered') return { key, ok: true, targetId: delivery.eventId, created: false };
    if (delivery.status !== 'pending') {
      return fail(
        key,
        new ConnectorError(
          'transient',
          'webhook.not-pending',
          `Delivery ${delivery.eventId} is ${delivery.status}.`,
        ),
      );
    }
    let url: URL;
    try {
      url = checkOutboundUrl(this.options.settings.url, this.options.settings.allowInsecureHttp);
    } catch (error) {
      return fail(key, error);
    }
    const { maxAttempts } = this.options.settings;
    // A pause between attempts ends when the call is aborted or the run only wants its waits cut.
    const pauseSignal = anySignal(signal, waitSignal);
    try {
      delivery = await withRetries(() => this.attempt(url, delivery, signal), {
        // Attempts count over the delivery's life: one resumed after a crash has fewer left.
        schedule: { attempts: Math.max(1, maxAttempts - delivery.attempts), ...this.backoff },
        isRetryable: (error) =>
          error instanceof FailedAttempt &&
          error.attempted &&
          error.error.class === 'transient' &&
          !error.aborted,
        retryAfterMs: (error) => (error instanceof FailedAttempt ? error.retryAfterMs : null),
        onRetry: ({ error, delayMs }) => {
          if (!(error instanceof FailedAttempt)) return;
          delivery = this.record(delivery, error, 'retry', new Date(this.now() + delayMs));
        },
        ...(pauseSignal === undefined ? {} : { signal: pauseSignal }),
      });
      return { key, ok: true, targetId: delivery.eventId, created: true };
    } catch (caught) {
      if (!(caught instanceof FailedAttempt)) {
        if (pauseSignal?.aborted !== true) throw caught;
        // The pause before the next attempt was cut short: that attempt is already recorded as
        // due, so the row stays pending for resumeDue() or the next run.
        return fail(
          key,
          new ConnectorError('transient', 'http.aborted', 'The delivery was cancelled; it stays queued.'),
        );
      }
      if (!caught.attempted) return fail(key, caught.error);
      if (caught.aborted) {
        // A cancelled attempt is not the subscriber's fault: the row stays pending, due now.
        this.record(delivery, caught, 'retry', new Date(this.now()));
        return fail(key, caught.error);
      }
      this.record(delivery, caught, 'dead', null);
      if (caught.error.class !== 'transient') return fail(key, caught.error);
      return fail(
        key,
        new ConnectorError(
          'transient',
          'webhook.attempts-exhausted',
          `Gave up after ${delivery.attempts + 1} attempts: ${caught.error.message}`,
        ),
      );
    }
  }

  /** One signed POST: the delivered row, or a FailedAttempt saying what the subscriber answered. */
  private async attempt(url: URL, delivery: Delivery, signal: AbortSignal | undefined): Promise<Delivery> {
    const { settings, connectionId, secrets, deliveries } = this.options;
    const secret = await connectorSecret(
      secrets,
      connectionId,
      () =>
        new ConnectorError(
          'configuration',
          'webhook.no-secret',
          'No signing secret is saved for this outbound webhook.',
        ),
    ).catch((error: unknown) => {
      // No attempt was made: nothing to record, and nothing a retry could change.
      throw new FailedAttempt(asConnectorError(error), null, null, 0, false);
    });
    let status: number | null = null;
    let retryAfterMs: number | null = null;
    let durationMs: number;
    let error: ConnectorError | null = null;
    const started = performance.now();
    try {
      const reply = await postSignedWebhook({
        url,
        source: connectionId,
        secret,
        eventId: delivery.eventId,
        eventType: delivery.eventType,
        body: delivery.body,
        timeoutMs: settings.timeoutMs,
        nowMs: this.now(),
        dispatcher: this.options.dispatcher,
        signal,
      });
      ({ status, retryAfterMs, durationMs } = reply);
      if (!(status >= 200 && status < 300) && status !== 409) error = statusError(status);
    } catch (caught) {
      durationMs = Math.round(performance.now() - started);
      error = asConnectorError(caught);
    }
    if (error !== null) throw new FailedAttempt(error, status, retryAfterMs, durationMs, true);
    return deliveries.recordAttempt(delivery, {
      statusCode: status,
      error: null,
      durationMs,
      outcome: 'delivered',
      nextAttemptAt: null,
    });
  }

  private record(
    delivery: Delivery,
    failed: FailedAttempt,
    outcome: 'retry' | 'dead',
    nextAttemptAt: Date | null,
  ): Delivery {
    if (!failed.attempted) return delivery;
    return this.options.deliveries.recordAttempt(delivery, {
      statusCode: failed.status,
      error: failed.error.message,
      durationMs: failed.durationMs,
      outcome,
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    });
  }
}

/** One attempt that did not deliver, with what the subscriber answered (for the attempt's row). */
class FailedAttempt extends Error {
  constructor(
    readonly error: ConnectorError,
    readonly status: number | null,
    readonly retryAfterMs: number | null,
    readonly durationMs: number,
    /** False when no request was sent (no secret): nothing to record. */
    readonly attempted: boolean,
  ) {
    super(error.message);
    this.name = 'FailedAttempt';
  }

  get aborted(): boolean {
    return this.error.code === 'http.aborted';
  }
}

function asConnectorError(error: unknown): ConnectorError {
  return error instanceof ConnectorError
    ? error
    : new ConnectorError('transient', 'webhook.unexpected', String(error));
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}

function statusError(status: number): ConnectorError {
  if (status >= 300 && status < 400) {
    return new ConnectorError(
      'configuration',
      'webhook.redirect',
      `The subscriber answered a redirect (HTTP ${status}); update the URL.`,
    );
  }
  const class_ = classifyHttpStatus(status);
  const hint =
    class_ === 'authentication' ? ': it refused the signature — do both sides hold the same secret?' : '';
  return new ConnectorError(class_, `http.${status}`, `The subscriber answered HTTP ${status}${hint}`);
}

function fail(key: string, error: unknown): TargetOutcome {
  const info =
    error instanceof ConnectorError
      ? error.toInfo()
      : { class: 'transient' as const, code: 'webhook.unexpected', message: String(error) };
  return { key, ok: false, error: info };
}
