import { describe, expect, it } from 'vitest';
import { freshnessNotes } from '../../../renderer/app/freshness-notifications.js';
import type { FreshnessEvent } from '../../../renderer/stores/flows-store.js';

const verdict = (
  breached: boolean,
  lastSuccessAt: string | null = '2026-12-02T08:00:00.000Z',
): FreshnessEvent => ({
  type: 'flows.freshness',
  flowId: 'flow_a',
  lastSuccessAt,
  objectiveMinutes: 15,
  breached,
});
const names = () => 'Supply consumption';

describe('freshness notifications (issue 12, item 5)', () => {
  it('a flow going from fresh to breached raises one note, and one when fresh again', () => {
    expect(freshnessNotes({ flow_a: verdict(false) }, { flow_a: verdict(true) }, names)).toEqual([
      {
        title: 'Supply consumption: data older than its objective',
        body: 'The last good sync is more than 15 min old. See the dashboard.',
        tag: 'freshness-flow_a',
      },
    ]);
    expect(freshnessNotes({ flow_a: verdict(true) }, { flow_a: verdict(false) }, names)).toEqual([
      {
        title: 'Supply consumption: fresh again',
        body: 'Synced within its 15 min objective.',
        tag: 'freshness-flow_a',
      },
    ]);
  });

  it('the same verdict again, or the first of a session, is no news', () => {
    expect(freshnessNotes({ flow_a: verdict(true) }, { flow_a: verdict(true) }, names)).toEqual([]);
    expect(freshnessNotes({}, { flow_a: verdict(true) }, names)).toEqual([]);
  });
});
