/**
 * The only place the main process may open a URL in the user's browser.
 *
 * `shell.openExternal` hands its URL to the operating system, which runs whatever handler is
 * registered for the scheme: file:, smb: and custom schemes have led to remote code execution in
 * Electron apps. So only plain https URLs with a normal host pass, and the lint config bans
 * `.openExternal` everywhere else.
 */
export type ExternalUrlCheck =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

const MAX_URL_LENGTH = 2048;
/** Printable ASCII only: anything else (controls, bidi overrides, full-width or look-alike letters) is refused. */
const PRINTABLE_ASCII = /^[\u0021-\u007e]+$/;

function refused(reason: string): ExternalUrlCheck {
  return { ok: false, reason };
}

export function checkExternalUrl(input: unknown): ExternalUrlCheck {
  if (typeof input !== 'string') return refused('not a string');
  if (input.length === 0 || input.length > MAX_URL_LENGTH) return refused('empty or too long');
  if (!PRINTABLE_ASCII.test(input)) return refused('characters outside printable ASCII');
  // The parser is lenient (it accepts "HTTPS:example.com", strips tabs, maps look-alikes); the raw
  // string must already be in the canonical "https://" form.
  if (!input.toLowerCase().startsWith('https://')) return refused('only https:// links');
  if (input.charAt('https://'.length) === '/') return refused('no host');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refused('not a valid URL');
  }
  if (url.protocol !== 'https:') return refused('only https:// links');
  if (url.hostname === '') return refused('no host');
  if (url.username !== '' || url.password !== '') return refused('credentials in the URL');
  // Punycode labels are how homograph look-alikes of real domains are spelled.
  if (url.hostname.split('.').some((label) => label.startsWith('xn--')))
    return refused('internationalized host');
  return { ok: true, url: url.href };
}

/** What `shell` gives us; passed in so this module never imports electron and stays testable. */
export interface ExternalOpener {
  openExternal(url: string): Promise<void>;
}

/** Opens `url` in the system browser if it passes the check; says whether it did. */
export async function openExternalHttps(url: unknown, opener: ExternalOpener): Promise<boolean> {
  const check = checkExternalUrl(url);
  if (!check.ok) return false;
  await opener.openExternal(check.url);
  return true;
}
