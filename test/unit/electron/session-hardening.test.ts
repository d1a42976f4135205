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
) => void;
type CheckHandler = (webContents: unknown, permission: string) => boolean;
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
  it('denies every permission request, check and device', () => {
    const { session, installed } = fakeSession();
    hardenSession(session);
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-sanitized-write',
      'midiSysex',
    ]) {
      const answers: boolean[] = [];
      installed.request!({}, permission, (granted) => answers.push(granted));
      expect(answers).toEqual([false]);
      expect(installed.check!({}, permission)).toBe(false);
    }
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
