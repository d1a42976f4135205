import { request, type Dispatcher } from 'undici';
import { ConnectorError } from '../types.js';

/**
 * One outbound HTTP exchange on undici with the guards every connector needs: a hard time limit
 * (headers and body), a cap on the response size (a misbehaving peer cannot fill memory), no
 * redirects followed (undici's request never follows them: a redirect could carry our Authorization
 * header elsewhere), and network
 * failures turned into ConnectorErrors that say what is wrong in plain words.
 */
export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly signal?: AbortSignal | undefined;
  readonly dispatcher?: Dispatcher | undefined;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly durationMs: number;
}

export async function httpCall(call: HttpCall): Promise<HttpReply> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal === undefined ? timeout : AbortSignal.any([call.signal, timeout]);
  try {
    const response = await request(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body ?? null,
      signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
      ...(call.dispatcher === undefined ? {} : { dispatcher: call.dispatcher }),
    });
    const body = await readCapped(response.body, call.maxResponseBytes, call.url);
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    if (call.signal?.aborted === true) {
      throw new ConnectorError('transient', 'http.aborted', 'The request was cancelled.', { cause: error });
    }
    if (timeout.aborted) {
      throw new ConnectorError(
        'transient',
        'http.timeout',
        `${call.url.host} did not answer within ${call.timeoutMs} ms.`,
        { cause: error },
      );
    }
    throw describeNetworkError(error, call.url);
  }
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  max: number,
  url: URL,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > max) {
      body.destroy();
      throw new ConnectorError(
        'permanent',
        'http.response-too-large',
        `${url.host} sent a response larger than ${max} bytes; it was not read.`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function errorCode(error: unknown): string | undefined {
  // undici wraps the socket's own error (ECONNREFUSED, a TLS code) in UND_ERR_SOCKET; the inner code
  // says more, so the wrapper's code is only the answer when there is nothing underneath.
  let current: unknown = error;
  let fallback: string | undefined;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (code === 'UND_ERR_SOCKET') fallback = code;
    current = (current as { cause?: unknown }).cause;
  }
  return fallback;
}

/** Network failures in operator words; the peer's host is named, never a header or a secret. */
export function describeNetworkError(error: unknown, url: URL): ConnectorError {
  const code = errorCode(error) ?? 'unknown';
  const host = url.host;
  if (code === 'ECONNREFUSED') {
    return new ConnectorError(
      'transient',
      'http.unreachable',
      `${host} refused the connection: is the service running?`,
      {
        cause: error,
      },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConnectorError(
      'configuration',
      'http.dns',
      `The host name ${url.hostname} could not be resolved.`,
      {
        cause: error,
      },
    );
  }
  if (TLS_CODES.has(code)) {
    return new ConnectorError(
      'configuration',
      'http.tls',
      `The TLS certificate of ${host} could not be verified (${code}). Install the clinic's CA certificate or fix the server certificate.`,
      { cause: error },
    );
  }
  if (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return new ConnectorError('transient', 'http.timeout', `${host} did not answer in time (${code}).`, {
      cause: error,
    });
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return new ConnectorError(
      'transient',
      'http.connection-closed',
      `${host} closed the connection unexpectedly (${code}).`,
      {
        cause: error,
      },
    );
  }
  return new ConnectorError('transient', 'http.network', `The connection to ${host} failed (${code}).`, {
    cause: error,
  });
}
