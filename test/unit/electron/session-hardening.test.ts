import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../main/electron/content-security-policy.js';
import {
  hardenSession,
  type HardenableSession,
  type ResponseHeadersDetails,
} from '../../../main/electron/session-hardening.js';

type RequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { readonly requestingUrl?: string },
) => void;
type CheckHandler = (webContents: unknown, permission: string, requestingOrigin: string) => boolean;
type HeadersListener = (
  details: ResponseHeadersDetails,
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

function fakeSession() {
  const installed: {
    request: RequestHandler | null;
    check: CheckHandler | null;
    device: ((details: unknown) => boolean) | null;
    headers: HeadersListener | null;
  } = { request: null, check: null, device: null, headers: null };
  const session: HardenableSession = {
    setPermissionRequestHandler: (handler) => (installed.request = handler),
    setPermissionCheckHandler: (handler) => (installed.check = handler),
    setDevicePermissionHandler: (handler) => (installed.device = handler),
    webRequest: { onHeadersReceived: (listener) => (installed.headers = listener) },
  };
  return { session, installed };
}

describe('hardenSession', () => {
  it('denies every permission request, check and device but notifications for the console itself', () => {
    const { session, installed } = fakeSession();
    hardenSession(session);
    const ask = (permission: string, url: string) => {
      const answers: boolean[] = [];
      installed.request!({}, permission, (granted) => answers.push(granted), { requestingUrl: url });
      return [...answers, installed.check!({}, permission, url)];
    };
    for (const permission of ['media', 'geolocation', 'clipboard-sanitized-write', 'midiSysex'])
      expect(ask(permission, 'app://console/index.html')).toEqual([false, false]);
    // Desktop notifications of outages (issue 11): our origin only.
    expect(ask('notifications', 'app://console/index.html')).toEqual([true, true]);
    expect(ask('notifications', 'app://console')).toEqual([true, true]);
    expect(ask('notifications', 'https://example.org/')).toEqual([false, false]);
    expect(installed.device!({ deviceType: 'usb' })).toBe(false);
  });

  it('forces the CSP onto every response', () => {
    const { session, installed } = fakeSession();
    hardenSession(session);
    const responses: { responseHeaders?: Record<string, string[]> }[] = [];
    installed.headers!({ responseHeaders: { 'content-security-policy': ['default-src *'] } }, (response) =>
      responses.push(response),
    );
    expect(responses).toEqual([
      { responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } },
    ]);
  });
});
