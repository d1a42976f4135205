import { rootCertificates } from 'node:tls';
import { Pool } from 'undici';
import { ConnectorError } from '../types.js';
import { classifyNetworkError } from './failure-classifier.js';
import type { Throttle } from './throttle.js';
import type { CheckedBaseUrl } from './url-policy.js';

/**
 * One undici pool per Odoo connection. Every request goes through the connection's throttle, has a
 * connect timeout, a headers/body timeout and an overall deadline, honours the caller's AbortSignal,
 * and refuses answers larger than `maxResponseBytes` (a misbehaving proxy must not exhaust memory).
 * Request bodies can carry a password (JSON-RPC puts it in `args`), so nothing here ever puts a
 * request body into an error message or a log line.
 */

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

export interface TransportOptions {
  readonly base: CheckedBaseUrl;
  readonly timeoutMs: number;
  readonly maxConnections: number;
  readonly throttle: Throttle;
  readonly maxResponseBytes?: number;
  /** Extra CA certificates (PEM) to trust, e.g. a clinic's private CA; verification stays on. */
  readonly ca?: string;
}

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const USER_AGENT = 'odoo-sync-console/0.1 (+undici)';

export class OdooHttpTransport {
  private readonly pool: Pool;
  private readonly maxBytes: number;
  private closed = false;

  constructor(private readonly options: TransportOptions) {
    this.maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.pool = new Pool(options.base.origin, {
      connections: options.maxConnections,
      connectTimeout: Math.min(options.timeoutMs, 10_000),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // `ca` replaces Node's trust store, so an extra CA is added to the public roots, not swapped in.
      connect: {
        rejectUnauthorized: true,
        ...(options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca] }),
      },
    });
  }

  get secure(): boolean {
    return this.options.base.secure;
  }

  postJson(
    path: string,
    body: unknown,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<HttpAnswer> {
    return this.send(
      'POST',
      path,
      JSON.stringify(body),
      { 'content-type': 'application/json', ...headers },
      signal,
    );
  }

  get(path: string, signal?: AbortSignal): Promise<HttpAnswer> {
    return this.send('GET', path, undefined, {}, signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<HttpAnswer> {
    if (this.closed) throw new ConnectorError('transient', 'net.closed', 'The connection was closed');
    return this.options.throttle.run(async (slotSignal) => {
      const deadline = AbortSignal.timeout(this.options.timeoutMs);
      const combined = AbortSignal.any([slotSignal, deadline, ...(signal === undefined ? [] : [signal])]);
      try {
        const response = await this.pool.request({
          method,
          path: `${this.options.base.pathPrefix}${path}`,
          headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...headers },
          ...(body === undefined ? {} : { body }),
          signal: combined,
        });
        const text = await this.readCapped(response.body);
        const contentType = response.headers['content-type'];
        return {
          status: response.statusCode,
          contentType: typeof contentType === 'string' ? contentType : '',
          text,
        };
      } catch (error) {
        if (error instanceof ConnectorError) throw error;
        // Report the deadline as a timeout even though undici surfaces it as an abort.
        const cause: unknown = deadline.aborted && signal?.aborted !== true ? deadline.reason : error;
        const classified = classifyNetworkError(cause, {
          origin: this.options.base.origin,
          timeoutMs: this.options.timeoutMs,
        });
        throw new ConnectorError(classified.class, classified.code, classified.message, { cause: error });
      }
    }, signal);
  }

  private async readCapped(
    body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown },
  ): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.maxBytes) {
        body.destroy();
        throw new ConnectorError(
          'permanent',
          'odoo.response-too-large',
          `Odoo's answer is larger than ${Math.round(this.maxBytes / 1024 / 1024)} MiB; read fewer records per page`,
        );
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
