import type { OutagesOverview } from '../../shared/domain/outage.js';
import { downSinceText } from './breaker-text.js';
import { clockText, exposureText, plural } from './outage-text.js';

export interface BannerLines {
  /** One line per connection that is degraded or down: "Odoo: degraded mode since 03:41 (planned upgrade)". */
  readonly down: readonly { readonly connectionId: string; readonly text: string }[];
  /** "42 writes waiting in the outbox; data-loss exposure: 2 h 14 min (oldest since 03:41)." */
  readonly exposure: string;
  /** "40 writes of an anomalous batch held for review: release or reject them on the Exceptions page." */
  readonly held: string | null;
}

/**
 * The banner's words, or null while nothing is degraded or down and nothing is held (the banner is
 * not shown). A held batch (issue 12) waits for a person, not for a connection: said on its own line.
 */
export function bannerLines(
  overview: OutagesOverview | null,
  now: Date,
  locale?: string,
): BannerLines | null {
  if (overview === null) return null;
  const { held: heldCount } = overview.exposure;
  const held =
    heldCount > 0
      ? `${plural(heldCount, 'write', 'writes')} of an anomalous batch held for review: release or reject them on the Exceptions page.`
      : null;
  if (overview.exposure.down.length === 0 && held === null) return null;
  const down = overview.exposure.down.map((entry) => {
    const view = overview.connections.find((connection) => connection.connectionId === entry.connectionId);
    // A breaker says when it checks next: the line the Connections page used to show on its own.
    if (entry.why === 'breaker' && view?.breaker != null)
      return {
        connectionId: entry.connectionId,
        text: `${entry.name}: ${downSinceText(view.breaker, now, locale)}`,
      };
    const reason = view?.degraded?.reason;
    const since = clockText(entry.since, now, locale);
    const text =
      entry.why === 'degraded'
        ? `${entry.name}: degraded mode since ${since}${reason === undefined ? '' : ` (${reason})`}`
        : `${entry.name}: down since ${since}`;
    return { connectionId: entry.connectionId, text };
  });
  return { down, exposure: exposureText(overview.exposure, now, locale), held };
}
