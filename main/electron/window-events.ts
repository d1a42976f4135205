import type { EventSubscriber } from '../api/call-context.js';
import { IPC_EVENT_CHANNEL, type LiveEvent } from '../../shared/contract/events.js';
import type { WindowSessions } from './window-sessions.js';

/**
 * Pushes live events to one console window over 'osc:event'. The core filters each event by what the
 * window's session may see (sessionId() is read at delivery time, so a login takes effect at once);
 * the subscription ends when the window's webContents is destroyed.
 */
export interface EventTargetContents {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

export type Subscribe = (subscriber: EventSubscriber) => () => void;

export function forwardEventsToWindow(
  contents: EventTargetContents,
  windows: WindowSessions,
  subscribe: Subscribe,
): () => void {
  const unsubscribe = subscribe({
    sessionId: () => windows.sessionOf(contents.id),
    deliver: (event: LiveEvent) => {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
    },
  });
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
  };
  contents.once('destroyed', end);
  return end;
}
