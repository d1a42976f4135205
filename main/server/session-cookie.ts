import type { CookieSerializeOptions } from '@fastify/cookie';

export const SESSION_COOKIE = 'osc_session';

/** HttpOnly so page script never sees it; SameSite=Strict so no other site's page can send it. */
export function sessionCookieOptions(tls: boolean): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', secure: tls, path: '/' };
}
