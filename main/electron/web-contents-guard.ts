import { decideNavigation, decideWindowOpen } from './navigation-policy.js';

/**
 * Applied to EVERY webContents the app creates (from `app.on('web-contents-created')`), so a window,
 * a devtools page or anything added later gets the same rules without having to remember them.
 * The structural types below are the slice of Electron's WebContents this needs; the real
 * WebContents satisfies them, and tests use a small fake.
 */
export interface PreventableNavigation {
  readonly url: string;
  preventDefault(): void;
}
export interface PreventableEvent {
  preventDefault(): void;
}

export interface GuardableContents {
  on(
    event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect',
    listener: (details: PreventableNavigation) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void;
}

export interface GuardCallbacks {
  /** A safe https link the user clicked: open it in the system browser. */
  openExternally(url: string): void;
  /** Something was refused; for the log (URLs only, never page content). */
  refused(what: 'navigation' | 'redirect' | 'window' | 'webview', url: string): void;
}

export function guardWebContents(contents: GuardableContents, callbacks: GuardCallbacks): void {
  const guardNavigation =
    (what: 'navigation' | 'redirect') =>
    (details: PreventableNavigation): void => {
      if (decideNavigation(details.url) === 'allow') return;
      details.preventDefault();
      callbacks.refused(what, details.url);
    };
  contents.on('will-navigate', guardNavigation('navigation'));
  // Also covers subframes, which 'will-navigate' does not see.
  contents.on('will-frame-navigate', guardNavigation('navigation'));
  contents.on('will-redirect', guardNavigation('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    callbacks.refused('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally === null) callbacks.refused('window', url);
    else callbacks.openExternally(decision.openExternally);
    return { action: decision.action };
  });
}
