import { DashboardReader } from '../../engine/store/dashboard-reader.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type DashboardHandlers = { readonly 'dashboard.overview': Handler<'dashboard.overview'> };

/** The dashboard's one read (issue 12, item 4): counts from the store, never a payload. */
export function dashboardHandlers(services: Services): DashboardHandlers {
  const reader = new DashboardReader(services.store.db);
  return {
    'dashboard.overview': () => reader.overview(),
  };
}
