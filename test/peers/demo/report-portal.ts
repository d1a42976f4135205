import type { SupplierPortal } from '../supplier-portal/index.js';

/**
 * Shows the partner's side of the purchase-order approvals flow on the demo's terminal: each event
 * the supplier portal accepted, once. (The portal keeps them in memory; looking every second is
 * plenty for a person watching, and the timer never keeps the demo alive.)
 */
export function reportPortalDeliveries(portal: SupplierPortal, say: (line: string) => void): void {
  let shown = 0;
  const timer = setInterval(() => {
    for (const event of portal.received.slice(shown)) {
      const body = (event.body ?? {}) as Record<string, unknown>;
      say(
        `supplier portal received ${event.eventType ?? 'an event'}: order ${String(body.order)}, ` +
          `vendor reference ${String(body.vendorReference)}, total ${String(body.total)}`,
      );
    }
    shown = portal.received.length;
  }, 1000);
  timer.unref();
}
