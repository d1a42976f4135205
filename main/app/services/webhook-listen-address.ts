import type { WebhookInSettings } from '../../../shared/domain/connection.js';
import { decideBind } from '../../server/bind-policy.js';

/** Where one webhook listener binds; `key` names it (and its service) and tells listeners apart. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
  readonly key: string;
}

/** The service name of the console's default listener (kept from when it was the only one). */
export const DEFAULT_LISTENER_SERVICE = 'webhook-listener';

export function listenAddress(host: string, port: number): ListenAddress {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return { host: bare, port, key: `${bare.includes(':') ? `[${bare}]` : bare}:${port}` };
}

/**
 * A connection's listener: its own host and port where set, each falling back to the console's
 * default listener (`--webhook-host/--webhook-port`), so a connection that sets neither shares it.
 */
export function connectionListenAddress(settings: WebhookInSettings, fallback: ListenAddress): ListenAddress {
  return listenAddress(settings.listenHost ?? fallback.host, settings.listenPort ?? fallback.port);
}

export function listenerServiceName(address: ListenAddress, fallback: ListenAddress): string {
  return address.key === fallback.key ? DEFAULT_LISTENER_SERVICE : `webhook-listener ${address.key}`;
}

/** What the console was started with that decides whether a listener may bind off loopback. */
export interface PublicBindPolicy {
  readonly tls: boolean;
  readonly allowInsecureHttp: boolean;
}

/**
 * Why a webhook-in connection may not listen on `host`, or null. The headless server's own bind
 * policy (main/server/bind-policy.ts) decides: loopback always, any other address only when the
 * console was started with TLS files or the explicit `--insecure-http` lab opt-in.
 */
export function listenHostRefusal(host: string | undefined, policy: PublicBindPolicy | null): string | null {
  if (host === undefined) return null;
  const decision = decideBind({
    host: host.replace(/^\[|\]$/g, ''),
    tls: policy?.tls === true,
    insecureHttp: policy?.allowInsecureHttp === true,
  });
  if (decision.ok) return null;
  return policy === null
    ? `The webhook listen host ${host} is not a loopback address, and this console runs no webhook listener that may bind publicly.`
    : `The webhook listen host ${host} is not a loopback address: a public bind needs the console started with ` +
        '--tls-cert/--tls-key (or --insecure-http for a lab). Leave the host empty for the loopback default.';
}
