import { describe, expect, it } from 'vitest';
import type { EventSubscriber } from '../../../main/api/call-context.js';
import { forwardEventsToWindow, type EventTargetContents } from '../../../main/electron/window-events.js';
import { WindowSessions } from '../../../main/electron/window-sessions.js';
import type { LiveEvent } from '../../../shared/contract/events.js';

class FakeContents implements EventTargetContents {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;
  #onDestroyed: (() => void)[] = [];
  constructor(readonly id: number) {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  once(_event: 'destroyed', listener: () => void): this {
    this.#onDestroyed.push(listener);
    return this;
  }
  destroy(): void {
    this.destroyed = true;
    for (const listener of this.#onDestroyed) listener();
  }
}

function fakeBus() {
  const subscribers = new Set<EventSubscriber>();
  return {
    subscribers,
    subscribe: (subscriber: EventSubscriber) => {
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
    publish: (event: LiveEvent) => {
      for (const subscriber of subscribers) subscriber.deliver(event);
    },
  };
}

const event: LiveEvent = { type: 'connections.changed', id: 'c1', change: 'created' };

describe('forwardEventsToWindow', () => {
  it("sends live events on osc:event and reports the window's current session", () => {
    const windows = new WindowSessions();
    windows.add(3);
    const contents = new FakeContents(3);
    const bus = fakeBus();
    forwardEventsToWindow(contents, windows, bus.subscribe);
    const [subscriber] = [...bus.subscribers];
    expect(subscriber!.sessionId()).toBeNull();
    windows.contextFor(3).bindSession('s-3');
    expect(subscriber!.sessionId()).toBe('s-3');
    bus.publish(event);
    expect(contents.sent).toEqual([{ channel: 'osc:event', args: [event] }]);
  });

  it('unsubscribes when the window is destroyed, once', () => {
    const windows = new WindowSessions();
    const contents = new FakeContents(3);
    const bus = fakeBus();
    const end = forwardEventsToWindow(contents, windows, bus.subscribe);
    contents.destroy();
    expect(bus.subscribers.size).toBe(0);
    end();
    bus.publish(event);
    expect(contents.sent).toEqual([]);
  });

  it('drops an event that races the window closing instead of throwing into the bus', () => {
    const windows = new WindowSessions();
    const contents = new FakeContents(3);
    const bus = fakeBus();
    forwardEventsToWindow(contents, windows, bus.subscribe);
    contents.destroyed = true;
    expect(() => bus.publish(event)).not.toThrow();
  });
});
