import type { Resource, Subscription } from 'fhir/r4';
import type { ResourceStore } from './resource-store.js';

/**
 * R4 rest-hook Subscriptions: when a resource of the subscribed type is created or updated, POST it
 * (or an empty body when `channel.payload` is absent) to `channel.endpoint` with the literal
 * `channel.header` lines — which is how real servers carry the subscriber's bearer token. Criteria
 * match on the resource type only ("ChargeItem" or "ChargeItem?…"); one attempt per notification,
 * five seconds at most, and every outcome is recorded for tests and the demo.
 */
export interface NotificationRecord {
  readonly subscriptionId: string;
  readonly resource: string;
  readonly status: number | null;
  readonly error: string | null;
}

const MAX_RECORDS = 1000;

export class RestHookNotifier {
  readonly notifications: NotificationRecord[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly store: ResourceStore) {}

  notify(resource: Resource): void {
    if (resource.resourceType === 'Subscription') return;
    for (const slot of this.store.sorted('Subscription')) {
      const subscription = slot.build() as Subscription;
      if (subscription.status !== 'active' || subscription.channel.type !== 'rest-hook') continue;
      const criteriaType = subscription.criteria.split('?')[0];
      if (criteriaType !== resource.resourceType || subscription.channel.endpoint === undefined) continue;
      const task = this.post(subscription, resource).finally(() => this.pending.delete(task));
      this.pending.add(task);
    }
  }

  /** Resolves when every notification started so far has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async post(subscription: Subscription, resource: Resource): Promise<void> {
    const headers: Record<string, string> = {};
    for (const line of subscription.channel.header ?? []) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const payload = subscription.channel.payload;
    if (payload !== undefined) headers['content-type'] = payload;
    const record = (status: number | null, error: string | null): void => {
      this.notifications.push({
        subscriptionId: subscription.id ?? '',
        resource: `${resource.resourceType}/${resource.id ?? ''}`,
        status,
        error,
      });
      if (this.notifications.length > MAX_RECORDS) this.notifications.shift();
    };
    try {
      const response = await fetch(subscription.channel.endpoint!, {
        method: 'POST',
        headers,
        body: payload === undefined ? '' : JSON.stringify(resource),
        signal: AbortSignal.timeout(5000),
      });
      await response.arrayBuffer();
      record(response.status, null);
    } catch (error) {
      record(null, error instanceof Error ? error.message : String(error));
    }
  }
}
