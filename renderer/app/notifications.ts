import type { StoreApi } from 'zustand/vanilla';
import type { OutagesOverview } from '../../shared/domain/outage.js';
import type { OutagesChangedEvent, OutagesStore } from '../stores/outages-store.js';

/**
 * Desktop notifications of outages (issue 11, item 6): a breaker opened or closed, degraded mode
 * switched, a replay finished or got stuck. The decision is pure (previous overview, new overview,
 * the outage events the new one answers); showing it goes through the browser's Notification API,
 * which Electron turns into the system's own notifications. Permission is asked only from a button.
 */

export interface OutageNote {
  readonly title: string;
  readonly body: string;
  /** Same tag, same notification: a second console tab or a repeat replaces instead of stacking. */
  readonly tag: string;
}

function connectionsById(overview: OutagesOverview) {
  return new Map(overview.connections.map((view) => [view.connectionId, view]));
}

function flowName(overview: OutagesOverview, previous: OutagesOverview, flowId: string | null): string {
  const find = (from: OutagesOverview) => from.outbox.find((flow) => flow.flowId === flowId)?.flowName;
  return find(overview) ?? find(previous) ?? 'A flow';
}

/** What changed between two overviews, and what the outage events say, as notifications. */
export function outageNotes(
  previous: OutagesOverview | null,
  next: OutagesOverview,
  events: readonly OutagesChangedEvent[],
): OutageNote[] {
  // The first overview of a session is the starting point, not news.
  if (previous === null) return [];
  const notes: OutageNote[] = [];
  const before = connectionsById(previous);
  for (const view of next.connections) {
    const old = before.get(view.connectionId);
    if (old === undefined) continue;
    const wasDown = old.breaker !== null && old.breaker.state !== 'closed';
    const isDown = view.breaker !== null && view.breaker.state !== 'closed';
    if (!wasDown && isDown)
      notes.push({
        title: `${view.name} is down`,
        body: `Its circuit breaker opened: ${view.breaker.lastError ?? 'repeated failures'}. Writes wait in the outbox.`,
        tag: `breaker-${view.connectionId}`,
      });
    if (wasDown && !isDown)
      notes.push({
        title: `${view.name} is back`,
        body: 'Its circuit breaker closed: waiting flows go on and the outbox is sent in order.',
        tag: `breaker-${view.connectionId}`,
      });
    if (old.degraded === null && view.degraded !== null)
      notes.push({
        title: `${view.name} switched to degraded mode`,
        body: `Writes wait in the outbox. Reason: ${view.degraded.reason}`,
        tag: `degraded-${view.connectionId}`,
      });
    if (old.degraded !== null && view.degraded === null)
      notes.push({
        title: `${view.name}: degraded mode off`,
        body: 'The outbox is sent in order.',
        tag: `degraded-${view.connectionId}`,
      });
  }
  // Drains end between two overviews: only the event says so.
  const seen = new Set<string>();
  for (const event of events) {
    if (event.change !== 'drain-finished' && event.change !== 'drain-stuck') continue;
    const key = `${event.change}-${event.flowId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const name = flowName(next, previous, event.flowId);
    const waiting = next.outbox.find((flow) => flow.flowId === event.flowId)?.waiting ?? 0;
    notes.push(
      event.change === 'drain-finished'
        ? { title: `Replay finished: ${name}`, body: 'Every waiting write was sent.', tag: key }
        : {
            title: `Replay stuck: ${name}`,
            body: `${waiting} ${waiting === 1 ? 'write waits' : 'writes wait'}; see the Outages page.`,
            tag: key,
          },
    );
  }
  return notes;
}

export type NotificationPermissionState = 'unsupported' | 'default' | 'granted' | 'denied';

/** The browser's (or Electron's) answer so far, without asking. */
export function notificationPermission(scope: typeof globalThis = globalThis): NotificationPermissionState {
  if (!('Notification' in scope)) return 'unsupported';
  return scope.Notification.permission;
}

/** Asks once; only ever called from a button press (browsers refuse prompts that are not). */
export async function askNotificationPermission(
  scope: typeof globalThis = globalThis,
): Promise<NotificationPermissionState> {
  if (!('Notification' in scope)) return 'unsupported';
  return scope.Notification.requestPermission();
}

/** Shows notes when allowed; silently nothing otherwise (the banner and page still say it all). */
export function showNotes(notes: readonly OutageNote[], scope: typeof globalThis = globalThis): void {
  if (notificationPermission(scope) !== 'granted') return;
  for (const note of notes) new scope.Notification(note.title, { body: note.body, tag: note.tag });
}

/** Watches the outages store: every new overview is compared with the one before. */
export function watchOutageNotifications(
  store: StoreApi<OutagesStore>,
  show: (notes: readonly OutageNote[]) => void = showNotes,
): () => void {
  return store.subscribe((state, previous) => {
    if (state.overview === null || state.overview === previous.overview) return;
    const notes = outageNotes(previous.overview, state.overview, state.signals);
    if (notes.length > 0) show(notes);
  });
}
