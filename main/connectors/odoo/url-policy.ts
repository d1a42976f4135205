import { ConnectorError } from '../types.js';

/**
 * Outbound HTTP rule (README, Security model): TLS is always verified; plain http is allowed only to the
 * loopback interface or when the connection explicitly opts in (the console shows that as a warning).
 */

export interface CheckedBaseUrl {
  /** scheme://host:port, what the connection pool is keyed on. */
  readonly origin: string;
  /** Path prefix without a trailing slash ('' for a server at the root), for Odoo behind a sub-path. */
  readonly pathPrefix: string;
  readonly secure: boolean;
  readonly loopback: boolean;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function checkBaseUrl(baseUrl: string, allowInsecureHttp: boolean): CheckedBaseUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConnectorError('configuration', 'url.invalid', `Not a valid URL: ${baseUrl}`);
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in a URL end up in logs and error messages; they belong in the keychain.
    throw new ConnectorError(
      'configuration',
      'url.credentials',
      'Remove the user name and password from the URL',
    );
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'https:') {
    return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, ''), secure: true, loopback };
  }
  if (url.protocol !== 'http:') {
    throw new ConnectorError('configuration', 'url.scheme', `Use an http(s) URL, not ${url.protocol}`);
  }
  if (!loopback && !allowInsecureHttp) {
    throw new ConnectorError(
      'configuration',
      'url.insecure',
      'Plain http is only allowed to this computer (loopback). Use https, or allow insecure http for this connection explicitly.',
    );
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, ''), secure: false, loopback };
}
