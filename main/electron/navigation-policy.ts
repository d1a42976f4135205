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

/** Permission requests and checks (camera, notifications, clipboard, geolocation, …): all denied. */
export function decidePermission(_permission: string): boolean {
  return false;
}
