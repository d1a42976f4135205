import { describe, expect, it } from 'vitest';
import {
  initialFlowValues,
  keepUnedited,
  readFlowForm,
  type FlowFormValues,
} from '../../../renderer/pages/flows/flow-form-values.js';
import { flowAnomalySchema } from '../../../shared/domain/flow-anomaly.js';
import { flowOf } from './engine-fixtures.js';

/** The flow form's anomaly watch (issue 12): shown, edited, validated, and kept across an edit. */
describe('flow form anomaly watch', () => {
  const anomaly = flowAnomalySchema.parse({ amountField: 'price_unit', minHistory: 12, threshold: 4 });
  const read = (values: FlowFormValues) => readFlowForm(values);
  const watched = () => initialFlowValues(flowOf({ anomaly }));

  it('starts from the flow, and an edit elsewhere keeps the watch as it was', () => {
    expect(watched()).toMatchObject({
      anomalyWatch: true,
      anomalyAmountField: 'price_unit',
      anomalyMinHistory: '12',
      anomalyThreshold: '4',
    });
    const result = read({ ...watched(), batchSize: '50' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(keepUnedited(result.definition, flowOf({ anomaly }))).toMatchObject({ batchSize: 50, anomaly });
  });

  it('a new watch gets the defaults; volume only without an amount field; off removes it', () => {
    const fresh = initialFlowValues(flowOf({}));
    expect(fresh).toMatchObject({ anomalyWatch: false, anomalyMinHistory: '8', anomalyThreshold: '3.5' });
    const on = read({ ...fresh, anomalyWatch: true });
    if (!on.ok) throw new Error(JSON.stringify(on.errors));
    expect(on.definition.anomaly).toEqual({ minHistory: 8, threshold: 3.5 });
    const off = read({ ...watched(), anomalyWatch: false });
    if (!off.ok) throw new Error(JSON.stringify(off.errors));
    expect(keepUnedited(off.definition, flowOf({ anomaly }))).not.toHaveProperty('anomaly');
  });

  it('says what is wrong under each field', () => {
    const typed = read({ ...watched(), anomalyMinHistory: 'eight', anomalyThreshold: 'high' });
    expect(typed.ok ? null : typed.errors.fields).toEqual({
      'anomaly.minHistory': 'Enter a whole number of batches, 3–100',
      'anomaly.threshold': 'Enter a number such as 3.5 (1–50)',
    });
    const range = read({
      ...watched(),
      anomalyMinHistory: '2',
      anomalyThreshold: '0.5',
      anomalyAmountField: 'price unit',
    });
    const fields = range.ok ? {} : range.errors.fields;
    expect(Object.keys(fields).sort()).toEqual([
      'anomaly.amountField',
      'anomaly.minHistory',
      'anomaly.threshold',
    ]);
    expect(fields['anomaly.amountField']).toBe('Use a dot path such as amount');
    // A watch that is off is not checked (its fields are hidden).
    expect(read({ ...watched(), anomalyWatch: false, anomalyMinHistory: 'x' }).ok).toBe(true);
  });
});
