import { describe, expect, it } from 'vitest';
import {
  decideNavigation,
  decidePermission,
  decideWindowOpen,
} from '../../../main/electron/navigation-policy.js';
import { isAppOriginUrl } from '../../../main/electron/app-origin.js';

describe('navigation policy', () => {
  it.each([
    'app://console/index.html',
    'app://console/',
    'app://console/connections?x=1#y',
    'APP://CONSOLE/a',
  ])('lets the window move within its own origin: %s', (url) => {
    expect(decideNavigation(url)).toBe('allow');
  });

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:8080/',
    'app://evil/index.html',
    'app://console.evil/',
    'app://user@console/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,x',
    'about:blank',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
    '',
  ])('keeps the window on the console instead of %j', (url) => {
    expect(decideNavigation(url)).toBe('deny');
  });

  it('treats a non-string as foreign', () => {
    expect(isAppOriginUrl(undefined)).toBe(false);
    expect(decideNavigation(null)).toBe('deny');
  });
});

describe('window-open policy', () => {
  it('never opens a window, and sends safe https links to the system browser', () => {
    expect(decideWindowOpen('https://www.odoo.com/docs')).toEqual({
      action: 'deny',
      openExternally: 'https://www.odoo.com/docs',
    });
  });

  it.each([
    'app://console/index.html',
    'http://example.com',
    'file:///etc/passwd',
    'javascript:1',
    'about:blank',
  ])('drops %j entirely', (url) => {
    expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: null });
  });
});

describe('permission policy', () => {
  it.each(['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', ''])(
    'denies %j',
    (permission) => {
      expect(decidePermission(permission, 'app://console/index.html')).toBe(false);
    },
  );

  it('allows desktop notifications (outage alerts) to the console only', () => {
    expect(decidePermission('notifications', 'app://console/index.html')).toBe(true);
    expect(decidePermission('notifications', 'app://console')).toBe(true);
    for (const foreign of ['https://example.org/', 'file:///etc/passwd', 'app://other/', undefined, ''])
      expect(decidePermission('notifications', foreign)).toBe(false);
  });
});
