import { describe, expect, it } from 'vitest';
import {
  initialFlowValues,
  keepUnedited,
  readFlowForm,
} from '../../../renderer/pages/flows/flow-form-values.js';
import { flowReconcileSchema } from '../../../shared/domain/flow-reconcile.js';
import { serviceChargesReconcile } from '../../peers/demo/demo-reconcile.js';
import { flowOf } from '../renderer/engine-fixtures.js';

/** A flow's reconciliation settings (issue 12): validated, and kept when the flow form saves an edit. */
describe('flow reconciliation settings', () => {
  const reconcile = flowReconcileSchema.parse(serviceChargesReconcile('cron'));

  it('an edit in the flow form keeps the reconciliation settings it does not show', () => {
    const result = readFlowForm({ ...initialFlowValues(flowOf({ reconcile })), batchSize: '50' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(keepUnedited(result.definition, flowOf({ reconcile }))).toMatchObject({
      batchSize: 50,
      reconcile,
    });
  });

  it('refuses an amount on one side only, and names the fields it checks', () => {
    expect(reconcile).toMatchObject({ period: 'month', lookbackPeriods: 3, schedule: '*/15 * * * *' });
    const oneSided = flowReconcileSchema.safeParse({ ...reconcile, payloadAmount: undefined });
    expect(oneSided.success).toBe(false);
    expect(flowReconcileSchema.safeParse({ ...reconcile, targetDateField: 'Invoice Date' }).success).toBe(
      false,
    );
    expect(flowReconcileSchema.safeParse({ ...reconcile, sourceDateParam: '_lastUpdated' }).success).toBe(
      false,
    );
  });
});
