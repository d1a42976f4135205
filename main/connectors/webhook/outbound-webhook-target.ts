import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { WebhookOutSettings } from '../../../shared/domain/connection.js';
import type { SecretReader } from '../../vault/types.js';
import { connectorSecret } from '../http/connector-secret.js';
import { checkOutboundUrl } from '../http/outbound-url-policy.js';
import { backoffDelayMs, sleep, type BackoffOptions } from '../http/retry-timing.js';
import { classifyHttpStatus } from '../http/status-class.js';
import type { ConnectorErrorInfo, Target, TargetOutcome, WriteRequest } from '../types.js';
import { ConnectorError } from '../types.js';
import type { Delivery, DeliveryStore } from './delivery-store.js';
import { postSignedWebhook } from './outbound-sender.js';

/**
 * Outbound webhooks as a Target (Odoo → partner flows). Each record becomes a durable delivery row
 * first, then is POSTed signed, retried with exponential backoff and jitter on transient failures
 * (5xx, 408, 429 with its Retry-After, network errors) up to `maxAttempts`, and marked dead after
 * that. 4xx answers other than 408/429 are final: resending the same body cannot change them.
 * A 409 from the subscriber means it already has the event, which counts as delivered.
 */
const operationSchema = z.object({ eventType: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/) });

export interface OutboundWebhookTargetOptions {
  readonly connectionId: string;
  readonly settings: WebhookOutSettings;
  readonly secrets: SecretReader;
  readonly deliveries: DeliveryStore;
  readonly backoff?: BackoffOptions;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly dispatcher?: Dispatcher;
}

export class OutboundWebhookTarget implements Target {
  readonly system = 'webhook-out';
  private readonly backoff: BackoffOptions;
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
      outcomes.push(await this.deliver(record.key, delivery, request.signal));
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
  ): Promise<TargetOutcome> {
    let delivery = initial;
    if (delivery.status === 'delivered') return { key, ok: true, targetId: delivery.eventId, created: false };
    const { settings, connectionId, secrets, deliveries } = this.options;
    let url: URL;
    try {
      url = checkOutboundUrl(settings.url, settings.allowInsecureHttp);
    } catch (error) {
      return fail(key, error);
    }
    while (delivery.status === 'pending') {
      let secret: string;
      try {
        secret = await connectorSecret(
          secrets,
          connectionId,
          () =>
            new ConnectorError(
              'configuration',
              'webhook.no-secret',
              'No signing secret is saved for this outbound webhook.',
            ),
        );
      } catch (error) {
        return fail(key, error);
      }
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
        error =
          caught instanceof ConnectorError
            ? caught
            : new ConnectorError('transient', 'webhook.unexpected', String(caught));
      }
      if (error === null) {
        delivery = deliveries.recordAttempt(delivery, {
          statusCode: status,
          error: null,
          durationMs,
          outcome: 'delivered',
          nextAttemptAt: null,
        });
        return { key, ok: true, targetId: delivery.eventId, created: true };
      }
      const attemptNumber = delivery.attempts + 1;
      // A cancelled attempt is not the subscriber's fault: the row stays pending for resumeDue().
      const aborted = error.code === 'http.aborted';
      const retryable = error.class === 'transient' && !aborted && attemptNumber < settings.maxAttempts;
      const delay = Math.min(
        this.backoff.maxDelayMs,
        Math.max(retryAfterMs ?? 0, backoffDelayMs(attemptNumber, this.backoff, this.options.random)),
      );
      delivery = deliveries.recordAttempt(delivery, {
        statusCode: status,
        error: error.message,
        durationMs,
        outcome: retryable || aborted ? 'retry' : 'dead',
        nextAttemptAt: retryable
          ? new Date(this.now() + delay).toISOString()
          : aborted
            ? new Date(this.now()).toISOString()
            : null,
      });
      if (aborted) return fail(key, error);
      if (!retryable) {
        return fail(
          key,
          error.class === 'transient'
            ? new ConnectorError(
                'transient',
                'webhook.attempts-exhausted',
                `Gave up after ${attemptNumber} attempts: ${error.message}`,
              )
            : error,
        );
      }
      try {
        await sleep(delay, signal);
      } catch {
        return fail(
          key,
          new ConnectorError('transient', 'http.aborted', 'The delivery was cancelled; it stays queued.'),
        );
      }
    }
    return fail(
      key,
      new ConnectorError(
        'transient',
        'webhook.not-pending',
        `Delivery ${delivery.eventId} is ${delivery.status}.`,
      ),
    );
  }
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
