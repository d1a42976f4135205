import type { LiveEvent } from '../../../shared/contract/events.js';
import type { EngineClient } from '../../engine/worker/engine-client.js';
import type { ServiceContext, ServiceDefinition } from './service-supervisor.js';

/**
 * The engine worker and the flow scheduler inside it, as a service. The EngineClient already
 * restarts a dead worker with its own backoff, so this wraps it rather than supervising it twice:
 * start is the client's start, and the state follows the client's `engine.status` events.
 */
export interface EngineService {
  readonly definition: ServiceDefinition;
  /** Feed every live event; engine.status changes become this service's state. */
  observe(event: LiveEvent): void;
}

export function engineService(engine: EngineClient, hasFlows: () => boolean): EngineService {
  let context: ServiceContext | null = null;
  return {
    definition: {
      name: 'engine',
      label: 'Sync engine (worker + scheduler)',
      async start(serviceContext) {
        context = serviceContext;
        // Without flows the worker starts with the first one (flows.create starts it).
        if (hasFlows()) await engine.start();
        else serviceContext.report('stopped');
        return {
          detail: () => (engine.running ? 'worker running' : 'starts with the first flow'),
          stop() {
            context = null;
          },
        };
      },
    },
    observe(event) {
      if (event.type !== 'engine.status' || context === null) return;
      if (event.state === 'restarting')
        context.report('restarting', new Error('The engine worker stopped; it is being restarted.'));
      else context.report(event.state);
    },
  };
}
