import { withContentSecurityPolicy } from './content-security-policy.js';
import { decidePermission } from './navigation-policy.js';

/**
 * Session-wide rules: every permission request and check is denied but desktop notifications for
 * our own origin (the console needs no camera, geolocation, HID or USB), and every response gets
 * our CSP even if something other than the app:// handler produced it. Structural types: the slice
 * of Electron's Session this touches, so tests can pass a fake.
 */
export interface ResponseHeadersDetails {
  readonly responseHeaders?: Record<string, string[]>;
}
export interface HardenableSession {
  setPermissionRequestHandler(
    handler:
      | ((
          webContents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { readonly requestingUrl?: string },
        ) => void)
      | null,
  ): void;
  setPermissionCheckHandler(
    handler: ((webContents: unknown, permission: string, requestingOrigin: string) => boolean) | null,
  ): void;
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void;
  readonly webRequest: {
    onHeadersReceived(
      listener:
        | ((
            details: ResponseHeadersDetails,
            callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
          ) => void)
        | null,
    ): void;
  };
}

export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) =>
    callback(decidePermission(permission, details.requestingUrl)),
  );
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    decidePermission(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );
}
