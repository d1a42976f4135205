import type { ReconcileChangedEvent } from '../stores/reconcile-store.js';
import type { OutageNote } from './notifications.js';

/**
 * Desktop notifications of reconciliation (issue 12, item 5): a reconciliation that found new
 * differences says how many and for which flow (each is an exception in the inbox); one that found
 * nothing new, or failed to run, is not news for a notification (the page shows it).
 */
export function reconcileNote(event: ReconcileChangedEvent, flowName: string | undefined): OutageNote | null {
  if (event.differencesNew <= 0 || event.state !== 'differences') return null;
  const count = event.differencesNew;
  return {
    title: `Reconciliation: ${count} new ${count === 1 ? 'difference' : 'differences'}`,
    body: `${flowName ?? 'A flow'}: Odoo and the console disagree; ${count === 1 ? 'it is' : 'each is'} an exception in the inbox (stage reconcile).`,
    tag: `reconcile-${event.flowId}`,
  };
}
