import type { ConnectionBreakerView } from '../../shared/domain/connection-breaker.js';

/** "03:41" in the operator's own time. */
function clock(iso: string, locale?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(at);
}

/** Breakers that are not closed: the connection is down (or being probed). */
export function downBreakers(items: readonly ConnectionBreakerView[]): ConnectionBreakerView[] {
  return items.filter((item) => item.state !== 'closed');
}

/** "Down since 03:41 (next check in 40 s)", or "(checking now)" while a probe runs or is due. */
export function downSinceText(view: ConnectionBreakerView, now: Date, locale?: string): string {
  const next = view.nextProbeAt === null ? Number.NaN : Date.parse(view.nextProbeAt);
  const seconds = Math.ceil((next - now.getTime()) / 1000);
  const check =
    view.state === 'half-open' || Number.isNaN(seconds) || seconds <= 0
      ? 'checking now'
      : seconds < 120
        ? `next check in ${seconds} s`
        : `next check in ${Math.round(seconds / 60)} min`;
  return `Down since ${clock(view.since, locale)} (${check})`;
}

/** "Waiting: Odoo down since 03:41". */
export function waitingText(connectionName: string, view: ConnectionBreakerView, locale?: string): string {
  return `Waiting: ${connectionName} down since ${clock(view.since, locale)}`;
}
