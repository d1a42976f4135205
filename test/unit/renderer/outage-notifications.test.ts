import { describe, expect, it, vi } from 'vitest';
import type { OutagesOverview } from '../../../shared/domain/outage.js';
import {
  askNotificationPermission,
  notificationPermission,
  outageNotes,
  showNotes,
  watchOutageNotifications,
} from '../../../renderer/app/notifications.js';
import { createOutagesStore } from '../../../renderer/stores/outages-store.js';
import { fakeOperations } from './fake-operations.js';
import { breakerDownOverview, calmOverview, degradedOverview, FLOW, ODOO } from './outage-fixtures.js';

const titles = (
  previous: OutagesOverview | null,
  next: OutagesOverview,
  events: Parameters<typeof outageNotes>[2] = [],
) => outageNotes(previous, next, events).map((note) => note.title);

describe('outage notifications: what is worth a notification', () => {
  it('says nothing about the first overview of a session, nor when nothing changed', () => {
    expect(titles(null, breakerDownOverview())).toEqual([]);
    expect(titles(breakerDownOverview(), breakerDownOverview())).toEqual([]);
  });

  it('tells a breaker opening (with the error) and closing', () => {
    const opened = outageNotes(calmOverview(), breakerDownOverview(), []);
    expect(opened).toEqual([
      {
        title: 'Odoo finance is down',
        body: 'Its circuit breaker opened: http.503: Service Unavailable. Writes wait in the outbox.',
        tag: `breaker-${ODOO}`,
      },
    ]);
    expect(titles(breakerDownOverview(), calmOverview())).toEqual(['Odoo finance is back']);
  });

  it('tells degraded mode switched on (with the reason) and off', () => {
    expect(outageNotes(calmOverview(), degradedOverview(), [])[0]?.body).toBe(
      'Writes wait in the outbox. Reason: Planned upgrade',
    );
    expect(titles(calmOverview(), degradedOverview())).toEqual(['Odoo finance switched to degraded mode']);
    expect(titles(degradedOverview(), calmOverview())).toEqual(['Odoo finance: degraded mode off']);
  });

  it('tells a replay finished or stuck once per flow, by the flow name', () => {
    const finished = {
      type: 'outages.changed',
      change: 'drain-finished',
      connectionId: ODOO,
      flowId: FLOW,
    } as const;
    const stuck = {
      type: 'outages.changed',
      change: 'drain-stuck',
      connectionId: ODOO,
      flowId: FLOW,
    } as const;
    const outbox = { type: 'outages.changed', change: 'outbox', connectionId: ODOO, flowId: FLOW } as const;
    expect(titles(degradedOverview(), degradedOverview(), [finished, finished, outbox])).toEqual([
      'Replay finished: Supplies to invoices',
    ]);
    expect(outageNotes(degradedOverview(), degradedOverview(), [stuck])[0]?.body).toBe(
      '42 writes wait; see the Outages page.',
    );
  });
});

describe('outage notifications: shown only when allowed, asked only on request', () => {
  function fakeScope(permission: NotificationPermission) {
    const shown: { title: string; options: NotificationOptions | undefined }[] = [];
    class FakeNotification {
      static permission = permission;
      static requestPermission = vi.fn(() => Promise.resolve<NotificationPermission>('granted'));
      readonly title: string;
      constructor(title: string, options?: NotificationOptions) {
        this.title = title;
        shown.push({ title, options });
      }
    }
    return {
      scope: { Notification: FakeNotification } as unknown as typeof globalThis,
      shown,
      FakeNotification,
    };
  }

  it('shows nothing without permission, and never asks by itself', () => {
    const { scope, shown, FakeNotification } = fakeScope('default');
    showNotes([{ title: 'Odoo finance is down', body: 'x', tag: 't' }], scope);
    expect(shown).toEqual([]);
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    expect(notificationPermission({} as typeof globalThis)).toBe('unsupported');
  });

  it('shows the notes once granted; the button asks', async () => {
    const { scope, shown } = fakeScope('granted');
    showNotes([{ title: 'Odoo finance is down', body: 'b', tag: 't' }], scope);
    expect(shown).toEqual([{ title: 'Odoo finance is down', options: { body: 'b', tag: 't' } }]);
    const asking = fakeScope('default');
    expect(await askNotificationPermission(asking.scope)).toBe('granted');
    expect(asking.FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
  });

  it('compares each new overview of the store with the one before', async () => {
    let answer = calmOverview();
    const { ops } = fakeOperations({ 'outages.overview': () => ({ ok: true, value: answer }) });
    const store = createOutagesStore();
    const show = vi.fn();
    const stop = watchOutageNotifications(store, show);
    await store.getState().load(ops);
    expect(show).not.toHaveBeenCalled();
    answer = degradedOverview();
    await store.getState().load(ops);
    expect(show).toHaveBeenCalledTimes(1);
    expect(show.mock.calls[0]?.[0]).toEqual([
      expect.objectContaining({ title: 'Odoo finance switched to degraded mode' }),
    ]);
    stop();
    answer = calmOverview();
    await store.getState().load(ops);
    expect(show).toHaveBeenCalledTimes(1);
  });
});
