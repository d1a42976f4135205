import type { StoreApi } from 'zustand/vanilla';
import type { FlowsStore, FreshnessEvent } from '../stores/flows-store.js';
import { showNotes, type OutageNote } from './notifications.js';

/**
 * Desktop notifications of freshness objectives (issue 12, item 5): the engine checks every flow with
 * an objective every 30 s and says whether its last good sync is older (`flows.freshness`). A flow
 * going from fresh to breached raises one note, and one more when it is back; the first verdict of
 * a session is the starting point, not news (the dashboard shows it red). Same tag per flow: a
 * second console tab replaces the note instead of stacking it.
 */
export function freshnessNotes(
  previous: Readonly<Record<string, FreshnessEvent>>,
  next: Readonly<Record<string, FreshnessEvent>>,
  nameOf: (flowId: string) => string,
): OutageNote[] {
  const notes: OutageNote[] = [];
  for (const [flowId, event] of Object.entries(next)) {
    const before = previous[flowId];
    if (before === undefined || before === event || before.breached === event.breached) continue;
    const name = nameOf(flowId);
    notes.push(
      event.breached
        ? {
            title: `${name}: data older than its objective`,
            body:
              event.lastSuccessAt === null
                ? `Never synced; the objective is ${event.objectiveMinutes} min. See the dashboard.`
                : `The last good sync is more than ${event.objectiveMinutes} min old. See the dashboard.`,
            tag: `freshness-${flowId}`,
          }
        : {
            title: `${name}: fresh again`,
            body: `Synced within its ${event.objectiveMinutes} min objective.`,
            tag: `freshness-${flowId}`,
          },
    );
  }
  return notes;
}

/** Watches the flows store's freshness verdicts; returns the unsubscribe. */
export function watchFreshnessNotifications(
  store: StoreApi<FlowsStore>,
  /** A name the flows store does not know yet (its page not opened): e.g. the dashboard's. */
  otherName: (flowId: string) => string | undefined = () => undefined,
  show: (notes: readonly OutageNote[]) => void = showNotes,
): () => void {
  return store.subscribe((state, previous) => {
    if (state.freshness === previous.freshness) return;
    const nameOf = (flowId: string) =>
      state.flows.find((flow) => flow.id === flowId)?.name ?? otherName(flowId) ?? 'A flow';
    const notes = freshnessNotes(previous.freshness, state.freshness, nameOf);
    if (notes.length > 0) show(notes);
  });
}
