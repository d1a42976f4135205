import { describe, expect, it } from 'vitest';
import {
  guardWebContents,
  type GuardableContents,
  type PreventableEvent,
  type PreventableNavigation,
} from '../../../main/electron/web-contents-guard.js';

/** A small stand-in for Electron's WebContents: records listeners so the test can fire events. */
class FakeContents implements GuardableContents {
  readonly navigationListeners = new Map<string, ((details: PreventableNavigation) => void)[]>();
  webviewListener: ((event: PreventableEvent) => void) | null = null;
  windowOpenHandler: ((details: { readonly url: string }) => { action: 'deny' }) | null = null;

  on(event: string, listener: (details: PreventableNavigation) => void): this {
    if (event === 'will-attach-webview') this.webviewListener = listener as (event: PreventableEvent) => void;
    else this.navigationListeners.set(event, [...(this.navigationListeners.get(event) ?? []), listener]);
    return this;
  }

  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  /** Fires one navigation event; says whether a listener prevented it. */
  fire(event: string, url: string): boolean {
    let prevented = false;
    for (const listener of this.navigationListeners.get(event) ?? []) {
      listener({ url, preventDefault: () => (prevented = true) });
    }
    return prevented;
  }
}

function setup() {
  const contents = new FakeContents();
  const opened: string[] = [];
  const refused: string[] = [];
  guardWebContents(contents, {
    openExternally: (url) => opened.push(url),
    refused: (what, url) => refused.push(`${what} ${url}`),
  });
  return { contents, opened, refused };
}

describe('guardWebContents', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s: stops foreign targets', (event) => {
    const { contents, refused } = setup();
    expect(contents.fire(event, 'https://evil.example/phish')).toBe(true);
    expect(contents.fire(event, 'file:///etc/passwd')).toBe(true);
    expect(refused).toHaveLength(2);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    '%s: lets app://console through',
    (event) => {
      const { contents, refused } = setup();
      expect(contents.fire(event, 'app://console/index.html')).toBe(false);
      expect(refused).toEqual([]);
    },
  );

  it('prevents every webview from attaching', () => {
    const { contents } = setup();
    let prevented = false;
    contents.webviewListener?.({ preventDefault: () => (prevented = true) });
    expect(contents.webviewListener).not.toBeNull();
    expect(prevented).toBe(true);
  });

  it('denies every new window; an https link goes to the system browser instead', () => {
    const { contents, opened, refused } = setup();
    const handler = contents.windowOpenHandler!;
    expect(handler({ url: 'https://www.odoo.com/documentation' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'app://console/index.html' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'https://user:pw@example.com' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://www.odoo.com/documentation']);
    expect(refused).toHaveLength(3);
  });
});
