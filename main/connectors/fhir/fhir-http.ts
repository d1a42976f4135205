import type { Dispatcher } from 'undici';
import type { FhirSettings } from '../../../shared/domain/connection.js';
import type { SecretReader } from '../../vault/types.js';
import { httpCall } from '../http/http-call.js';
import { checkOutboundUrl, sameOrigin } from '../http/outbound-url-policy.js';
import { parseRetryAfterMs, withRetries } from '../http/retry-timing.js';
import { classifyHttpStatus } from '../http/status-class.js';
import { ConnectorError } from '../types.js';
import { fhirAuthorization } from './fhir-auth.js';
import { describeOperationOutcome, isOperationOutcome, primaryIssueCode } from './operation-outcome.js';

/**
 * HTTP to one FHIR server: JSON in and out, the credential added per request, OperationOutcome errors
 * turned into operator sentences, and bounded retries for reads (a GET is safe to repeat; writes are
 * retried by the engine, which knows whether a write is idempotent).
 */
export class FhirHttpError extends ConnectorError {
  constructor(
    readonly status: number,
    class_: ConnectorError['class_'],
    code: string,
    message: string,
  ) {
    super(class_, code, message);
  }
}

export interface FhirReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed body, or null when the body was empty. */
  readonly json: unknown;
}

export interface FhirHttpOptions {
  readonly connectionId: string;
  readonly settings: FhirSettings;
  readonly secrets: SecretReader;
  readonly dispatcher?: Dispatcher;
  readonly maxResponseBytes?: number;
  /** Retries of a GET after a transient failure (count is total attempts). */
  readonly readRetry?: {
    readonly attempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
  };
}

const FHIR_JSON = 'application/fhir+json';

export class FhirHttp {
  readonly base: URL;
  private readonly retry: NonNullable<FhirHttpOptions['readRetry']>;

  constructor(private readonly options: FhirHttpOptions) {
    const base = checkOutboundUrl(options.settings.baseUrl, options.settings.allowInsecureHttp);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
    this.retry = options.readRetry ?? { attempts: 3, baseDelayMs: 250, maxDelayMs: 5000 };
  }

  /** A path relative to the base ('Patient?_count=1') or an absolute link the server gave us. */
  resolve(pathOrUrl: string): URL {
    const url = new URL(pathOrUrl, this.base);
    if (!sameOrigin(url, this.base)) {
      // Following it would hand our credential to another server.
      throw new ConnectorError(
        'configuration',
        'fhir.foreign-link',
        `The server pointed to ${url.origin}, which is not ${this.base.origin}; the link was not followed.`,
      );
    }
    return url;
  }

  async send(
    method: 'GET' | 'POST' | 'PUT',
    url: URL,
    init: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal | undefined } = {},
  ): Promise<FhirReply> {
    const auth = await fhirAuthorization(
      this.options.settings,
      this.options.connectionId,
      this.options.secrets,
    );
    const reply = await httpCall({
      method,
      url,
      headers: {
        accept: FHIR_JSON,
        ...(init.body === undefined ? {} : { 'content-type': `${FHIR_JSON}; charset=utf-8` }),
        ...init.headers,
        ...auth,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      timeoutMs: this.options.settings.timeoutMs,
      maxResponseBytes: this.options.maxResponseBytes ?? 64 * 1024 * 1024,
      signal: init.signal,
      dispatcher: this.options.dispatcher,
    });
    const json = parseBody(reply.body, url, reply.status);
    if (reply.status >= 200 && reply.status < 300)
      return { status: reply.status, headers: reply.headers, json };
    throw errorFromReply(reply.status, json, url, reply.headers['retry-after']);
  }

  /**
   * GET with bounded retries for transient failures, honouring Retry-After up to the backoff cap.
   * `check` may reject a well-formed but broken reply (e.g. a page that is not a Bundle) with a
   * transient ConnectorError so that it is retried like a 503.
   */
  async read(url: URL, signal?: AbortSignal, check?: (reply: FhirReply) => void): Promise<FhirReply> {
    return withRetries(
      async () => {
        const reply = await this.send('GET', url, { signal });
        check?.(reply);
        return reply;
      },
      {
        schedule: this.retry,
        isRetryable: (error) => error instanceof ConnectorError && error.class === 'transient',
        retryAfterMs: (error) => (error instanceof FhirHttpRetryable ? error.retryAfterMs : null),
        ...(signal === undefined ? {} : { signal }),
      },
    );
  }
}

/** A transient HTTP failure whose server said when to come back. */
export class FhirHttpRetryable extends FhirHttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(status, 'transient', code, message);
  }
}

function parseBody(body: Buffer, url: URL, status: number): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    if (status >= 200 && status < 300) {
      throw new ConnectorError(
        'transient',
        'fhir.bad-json',
        `${url.host} sent a response that is not valid JSON (a broken or truncated page).`,
      );
    }
    return null;
  }
}

function errorFromReply(
  status: number,
  json: unknown,
  url: URL,
  retryAfter: string | undefined,
): FhirHttpError {
  const class_ = classifyHttpStatus(status);
  const detail = isOperationOutcome(json)
    ? describeOperationOutcome(json)
    : 'no OperationOutcome in the response';
  const issue = isOperationOutcome(json) ? primaryIssueCode(json) : null;
  const code = `fhir.${status}${issue === null ? '' : `.${issue}`}`;
  const message = `${url.host} answered HTTP ${status} to ${url.pathname}: ${detail}`;
  if (class_ === 'transient')
    return new FhirHttpRetryable(status, code, message, parseRetryAfterMs(retryAfter, Date.now()));
  return new FhirHttpError(status, class_, code, message);
}
