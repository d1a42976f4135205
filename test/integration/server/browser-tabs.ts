import type { OscBridge } from '../../../shared/contract/bridge.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { SessionStatus } from '../../../shared/domain/operator.js';
import { createHttpBridge } from '../../../renderer/client/http-transport.js';
import { watchSession } from '../../../renderer/client/session-watch.js';

/**
 * One browser profile: the cookie jar every tab shares. Chromium keeps the HttpOnly session cookie per
 * profile, not per tab, so a reload or a second tab arrives with the cookie and without the script
 * state (the CSRF token) the first page held.
 */
export class BrowserProfile {
  private cookie: string | null = null;

  constructor(private readonly origin: string) {}

  /** The page's fetch: sends the cookie and, as Chromium does on every POST, the page's Origin. */
  readonly fetch = async (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (this.cookie !== null) headers.set('cookie', this.cookie);
    if ((init.method ?? 'GET') === 'POST') headers.set('origin', this.origin);
    const response = await fetch(url, { ...init, headers });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = /Expires=Thu, 01 Jan 1970/i.test(setCookie) || pair.endsWith('=') ? null : pair;
    }
    return response;
  };

  /** A freshly loaded console page: new script state, the profile's cookie. */
  openTab(): BrowserTab {
    return new BrowserTab(this, this.origin);
  }
}

/** One loaded console page: the real renderer client (HTTP transport + session watch) in this profile. */
export class BrowserTab {
  readonly events: LiveEvent[] = [];
  readonly statuses: SessionStatus[] = [];
  signedOutHooks = 0;
  readonly client: OscBridge;
  private readonly streams = new Set<AbortController>();

  constructor(profile: BrowserProfile, origin: string) {
    const bridge = createHttpBridge({
      baseUrl: origin,
      fetch: profile.fetch,
      openEventSource: (url, onData) => this.openStream(profile, url, onData),
    });
    this.client = watchSession(bridge, {
      onStatus: (status) => this.statuses.push(status),
      onLocked: () => undefined,
      onSignedOut: () => (this.signedOutHooks += 1),
    });
    // The console listens for as long as it is open (App's useLiveEvents).
    this.client.onEvent((event) => this.events.push(event));
  }

  close(): void {
    for (const stream of this.streams) stream.abort();
  }

  /** EventSource over fetch: hands each `data:` block on, as the browser's EventSource does. */
  private openStream(profile: BrowserProfile, url: string, onData: (data: unknown) => void) {
    const abort = new AbortController();
    this.streams.add(abort);
    void (async () => {
      const response = await profile.fetch(url, { signal: abort.signal });
      if (!response.ok || response.body === null) return;
      const decoder = new TextDecoder();
      let buffered = '';
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk, { stream: true });
        const blocks = buffered.split('\n\n');
        buffered = blocks.pop() ?? '';
        for (const block of blocks) if (block.startsWith('data: ')) onData(block.slice(6));
      }
    })().catch(() => undefined);
    return {
      close: () => {
        abort.abort();
        this.streams.delete(abort);
      },
    };
  }
}
