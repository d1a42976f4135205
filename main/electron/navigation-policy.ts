import { isAppOriginUrl } from './app-origin.js';
import { checkExternalUrl } from './open-external.js';

/**
 * Decisions for everything that could move a window away from the console or open a new one. The
 * console is a single page: it never needs to navigate its window anywhere but its own origin, and
 * it never opens windows. Links to documentation (https only) open in the user's browser instead.
 */
export type NavigationDecision = 'allow' | 'deny';

/** `will-navigate`, `will-frame-navigate` and `will-redirect`: stay on app://console or stay put. */
export function decideNavigation(url: unknown): NavigationDecision {
  return isAppOriginUrl(url) ? 'allow' : 'deny';
}

export interface WindowOpenDecision {
  readonly action: 'deny';
  /** Set when the target is a safe https link the user should see in their browser. */
  readonly openExternally: string | null;
}

/** `setWindowOpenHandler`: never a new Electron window; maybe the system browser. */
export function decideWindowOpen(url: unknown): WindowOpenDecision {
  const external = checkExternalUrl(url);
  return { action: 'deny', openExternally: external.ok ? external.url : null };
}

/**
 * The one permission the console uses: desktop notifications of outages (issue 11: a breaker
 * opened or closed, degraded mode switched, a replay finished or stuck), which Chromium's
 * Notification API shows as the system's own. Only for our own origin; everything else (camera,
 * clipboard, geolocation, …) is denied.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

/** Permission requests and checks: `requestingUrl` is the request's URL or the check's origin. */
export function decidePermission(permission: string, requestingUrl: unknown): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppOriginUrl(requestingUrl);
}
