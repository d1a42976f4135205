import { setTimeout as delay } from 'node:timers/promises';
import type { ServicesReport } from '../../../shared/contract/ops/service-ops.js';

/**
 * `osc serve`'s lines about the inbound webhook listeners: the address each one actually bound (the
 * port 0 case included), or why it does not listen. The listeners start in the background, so this
 * waits until none is still starting, at most `waitMs`.
 */
export async function webhookListenerLines(report: () => ServicesReport, waitMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  let current = report();
  const settled = (answer: ServicesReport): boolean =>
    answer.webhookListeners.every(
      (listener) =>
        listener.url !== null ||
        answer.services.find((service) => service.name === listener.service)?.state !== 'starting',
    );
  while (!settled(current) && Date.now() < deadline) {
    await delay(50);
    current = report();
  }
  return current.webhookListeners.map((listener) => {
    const users = `${listener.connectionIds.length} source${listener.connectionIds.length === 1 ? '' : 's'}`;
    if (listener.url !== null) return `Inbound webhooks: POST ${listener.url}/hooks/<source>  (${users})`;
    const service = current.services.find((entry) => entry.name === listener.service);
    const why = service?.lastError ?? service?.state ?? 'not started';
    return `Inbound webhooks on ${listener.address}: not listening (${why}); retried in the background, see the Overview page  (${users})`;
  });
}
