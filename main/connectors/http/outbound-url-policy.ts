import { ConnectorError } from '../types.js';

/**
 * Where the console may send requests: https anywhere (TLS verified), plain http only to this machine,
 * or to another host when the connection carries the explicit `allowInsecureHttp` opt-in (which the
 * console shows as a warning). Secrets never travel in clear text over a network by accident.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function checkOutboundUrl(raw: string, allowInsecureHttp: boolean): URL {
  if (!URL.canParse(raw)) {
    throw new ConnectorError('configuration', 'http.bad-url', `"${raw}" is not a valid URL.`);
  }
  const url = new URL(raw);
  if (url.username !== '' || url.password !== '') {
    // Credentials in a URL end up in logs and error messages; they belong in the keychain.
    throw new ConnectorError(
      'configuration',
      'http.credentials-in-url',
      'The URL contains a user name or password; remove it and save the secret in the keychain instead.',
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') {
    throw new ConnectorError(
      'configuration',
      'http.bad-scheme',
      `Only http(s) URLs are supported, not ${url.protocol}`,
    );
  }
  if (isLoopbackHost(url.hostname) || allowInsecureHttp) return url;
  throw new ConnectorError(
    'configuration',
    'http.insecure',
    `${url.host} is reached over plain http, which would expose data and secrets on the network. ` +
      'Use https, or turn on "Allow insecure http" for this connection if it is a lab system.',
  );
}

/** Same scheme, host and port: a paging link to another origin must never receive our credentials. */
export function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}
