import { readFileSync } from 'node:fs';
import { createCore } from '../../app/core.js';
import { createLogger } from '../../log/logger.js';
import { decideBind } from '../../server/bind-policy.js';
import { allowedHostNames } from '../../server/host-allow-list.js';
import { createHttpServer } from '../../server/http-server.js';
import { webhookListenerLines } from './webhook-listeners-line.js';

export interface ServeOptions {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
  readonly insecureHttp: boolean;
  /** Extra host names browsers may use to reach the console (`--allowed-host NAME`, repeatable). */
  readonly allowedHosts?: readonly string[] | undefined;
  /** The default inbound webhook + FHIR rest-hook listener (webhook-in connections without an address of their own). */
  readonly webhookHost?: string | undefined;
  readonly webhookPort?: number | undefined;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** `osc serve`: the engine and console, headless, for a browser. Loopback unless TLS is set up. */
export async function startServer(options: ServeOptions, out: NodeJS.WritableStream): Promise<RunningServer> {
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw new Error('Pass both --tls-cert and --tls-key, or neither.');
  }
  const tls =
    options.tlsCert && options.tlsKey
      ? { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }
      : undefined;
  const decision = decideBind({
    host: options.host,
    tls: tls !== undefined,
    insecureHttp: options.insecureHttp,
  });
  if (!decision.ok) throw new Error(decision.reason);
  if (decision.warning) out.write(`${decision.warning}\n`);
  const allowedHosts = allowedHostNames(options.host, options.allowedHosts ?? []);

  const logger = createLogger();
  const core = await createCore({
    dataDir: options.dataDir,
    logger,
    services: {
      webhookListener: {
        host: options.webhookHost ?? '127.0.0.1',
        ...(options.webhookPort === undefined ? {} : { port: options.webhookPort }),
        ...(tls === undefined ? {} : { tls }),
        allowInsecureHttp: options.insecureHttp,
      },
    },
  });
  const app = await createHttpServer({ core, logger, tls, allowedHosts });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await core.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${tls ? 'https' : 'http'}://${host}:${port}/`;
  out.write(`Odoo Sync Console is serving ${url}  (data: ${core.dataDir})\n`);
  out.write(`Answering to host names: ${allowedHosts.join(', ')}\n`);
  // The addresses actually bound (a port taken by another program shows here, not a guess).
  for (const line of await webhookListenerLines(() => core.servicesReport())) out.write(`${line}\n`);
  return {
    url,
    async close() {
      await app.close();
      await core.close();
    },
  };
}
