import { EVENT_AUDIENCE, type LiveEvent } from '../../shared/contract/events.js';
import { rolesAllow } from '../../shared/contract/roles.js';
import type { Role } from '../../shared/contract/roles.js';
import type { EventSubscriber } from './call-context.js';

export interface EventAudience {
  /** Roles of the operator behind an active (unlocked) session, or null if none. */
  rolesOf(sessionId: string | null): readonly Role[] | null;
}

/**
 * Fans live events out to every window and SSE stream, each filtered by what its session may see:
 * role-scoped events go to active sessions holding a role in EVENT_AUDIENCE; session events go only
 * to the session they concern. A subscriber that throws is dropped, never the publisher.
 */
export class EventBus {
  private readonly subscribers = new Set<EventSubscriber>();

  constructor(private readonly audience: EventAudience) {}

  subscribe(subscriber: EventSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get size(): number {
    return this.subscribers.size;
  }

  publish(event: LiveEvent): void {
    const allowed = EVENT_AUDIENCE[event.type];
    if (allowed === 'own-session') throw new Error(`${event.type} must be sent with publishToSession`);
    for (const subscriber of this.subscribers) {
      const roles = this.audience.rolesOf(subscriber.sessionId());
      if (roles && rolesAllow(allowed, roles)) this.deliver(subscriber, event);
    }
  }

  publishToSession(sessionId: string, event: LiveEvent): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.sessionId() === sessionId) this.deliver(subscriber, event);
    }
  }

  private deliver(subscriber: EventSubscriber, event: LiveEvent): void {
    try {
      subscriber.deliver(event);
    } catch {
      this.subscribers.delete(subscriber);
    }
  }
}
