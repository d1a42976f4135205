import { isIP } from 'node:net';
import { isLoopbackHost } from './bind-policy.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;
/** A DNS name (labels of letters, digits and hyphens), an IPv4 address or a bracketed IPv6 one. */
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Lower case, no trailing root dot, IPv6 in brackets: the form a Host header carries. */
function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  return isIP(lower) === 6 ? `[${lower}]` : lower;
}

function isHostName(name: string): boolean {
  if (name.startsWith('[') && name.endsWith(']')) return isIP(name.slice(1, -1)) === 6;
  return name.length <= 253 && HOST_NAME.test(name);
}

/**
 * The host names the headless console answers to. A browser page on another site can make its own
 * name resolve to this machine (DNS rebinding); its requests then carry that name in Host, so any
 * name not listed here is refused. Listed: the bound address, the loopback names when the bind
 * reaches loopback, and what the operator configured (`osc serve --allowed-host NAME`).
 */
export function allowedHostNames(boundHost: string, configured: readonly string[]): string[] {
  const bound = normalizeName(boundHost);
  const wildcard = bound === '0.0.0.0' || bound === '[::]';
  const names: string[] = wildcard ? [] : [bound];
  if (wildcard || isLoopbackHost(bound)) names.push(...LOOPBACK_NAMES);
  for (const raw of configured) {
    const name = normalizeName(raw);
    if (!isHostName(name)) {
      throw new Error(
        `--allowed-host "${raw}" is not a host name (give a name such as console.clinic.lan, no scheme or port).`,
      );
    }
    names.push(name);
  }
  return [...new Set(names)];
}

/** The host name of a Host header ("name:port", "[v6]:port"), normalized; null when absent or malformed. */
export function hostNameOf(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d{1,5})?$/.exec(header.trim());
  if (!match?.[1]) return null;
  const name = normalizeName(match[1]);
  return isHostName(name) ? name : null;
}
