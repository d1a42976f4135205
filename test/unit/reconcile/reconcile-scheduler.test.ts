import { describe, expect, it, vi } from 'vitest';
import { ReconcileScheduler } from '../../../main/engine/reconcile/reconcile-scheduler.js';
import type { Flow } from '../../../shared/domain/flow.js';
import { flowReconcileSchema } from '../../../shared/domain/flow-reconcile.js';
import { serviceChargesReconcile } from '../../peers/demo/demo-reconcile.js';
import { flowOf } from '../renderer/engine-fixtures.js';

/** Scheduled reconciliations (issue 12): a job per enabled flow with a schedule, following changes. */
describe('reconcile scheduler', () => {
  const every = (expression: string) =>
    flowReconcileSchema.parse({ ...serviceChargesReconcile('manual'), schedule: expression });

  it('schedules enabled flows with a reconcile schedule, fires them, and follows flow changes', async () => {
    let flows: Flow[] = [
      flowOf({ id: 'flow_aaaaaaaaaa', reconcile: every('* * * * * *') }),
      flowOf({ id: 'flow_bbbbbbbbbb', reconcile: every('* * * * * *'), enabled: false }),
      flowOf({
        id: 'flow_cccccccccc',
        reconcile: flowReconcileSchema.parse(serviceChargesReconcile('manual')),
      }),
      flowOf({ id: 'flow_dddddddddd' }),
    ];
    const fired: string[] = [];
    const scheduler = new ReconcileScheduler({
      flows: () => flows,
      reconcile: (flowId) => {
        fired.push(flowId);
        return Promise.resolve();
      },
    });
    scheduler.start();
    try {
      expect([...scheduler.nextRuns().keys()]).toEqual(['flow_aaaaaaaaaa']);
      await vi.waitFor(() => expect(fired).toContain('flow_aaaaaaaaaa'), { timeout: 3000 });
      expect(new Set(fired)).toEqual(new Set(['flow_aaaaaaaaaa']));
      flows = [flowOf({ id: 'flow_aaaaaaaaaa', reconcile: every('0 0 1 1 *') })];
      scheduler.reload();
      expect(scheduler.nextRuns().get('flow_aaaaaaaaaa')?.getUTCMonth()).toBe(0);
      flows = [];
      scheduler.reload();
      expect(scheduler.nextRuns().size).toBe(0);
    } finally {
      scheduler.stop();
    }
  });
});
