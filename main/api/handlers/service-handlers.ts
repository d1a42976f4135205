import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type ServiceHandlers = {
  readonly 'services.status': Handler<'services.status'>;
};

export function serviceHandlers(services: Services): ServiceHandlers {
  return {
    'services.status': () => services.serviceReport(),
  };
}
