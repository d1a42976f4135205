import { describe, expect, it } from 'vitest';
import {
  initialFlowValues,
  keepUnedited,
  readFlowForm,
} from '../../../renderer/pages/flows/flow-form-values.js';
import { flowAnomalySchema } from '../../../shared/domain/flow-anomaly.js';
import { flowOf } from './engine-fixtures.js';

/** The flow form does not show the anomaly watch (issue 12): saving an edit must keep it. */
describe('flow form update keeps the anomaly watch', () => {
  it('keeps it on an edited flow, adds none to a flow without one', () => {
    const anomaly = flowAnomalySchema.parse({ amountField: 'amount', minHistory: 12 });
    const read = readFlowForm({ ...initialFlowValues(flowOf({ anomaly })), batchSize: '50' });
    if (!read.ok) throw new Error('the fixture flow does not read');
    expect(read.definition).not.toHaveProperty('anomaly');
    expect(keepUnedited(read.definition, flowOf({ anomaly }))).toMatchObject({ batchSize: 50, anomaly });
    expect(keepUnedited(read.definition, flowOf({}))).not.toHaveProperty('anomaly');
  });
});
