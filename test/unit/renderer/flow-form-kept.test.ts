import { describe, expect, it } from 'vitest';
import {
  initialFlowValues,
  keepUnedited,
  readFlowForm,
} from '../../../renderer/pages/flows/flow-form-values.js';
import { flowFallbackSchema } from '../../../shared/domain/flow-fallback.js';
import { flowOf } from './engine-fixtures.js';

/** Saving the flow form keeps the settings it does not show: the retry policy and the fallback form. */
describe('flow form update', () => {
  const fallback = flowFallbackSchema.parse({
    fields: [{ name: 'qty', label: 'Quantity', type: 'number', path: 'quantity.value' }],
    matchKeys: ['qty'],
    roles: ['it-staff'],
  });
  const autoRetry = { limit: 2, initialDelayMs: 5000, maxDelayMs: 60_000 };

  it('keeps the flow fallback settings and retry policy an edit does not touch', () => {
    const flow = flowOf({ fallback, autoRetry });
    const read = readFlowForm({ ...initialFlowValues(flow), batchSize: '50' });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.definition).not.toHaveProperty('fallback');
    const kept = keepUnedited(read.definition, flow);
    expect(kept).toMatchObject({ batchSize: 50, fallback, autoRetry });
  });

  it('adds nothing to a new flow or to a flow without them', () => {
    const read = readFlowForm(initialFlowValues(flowOf({})));
    if (!read.ok) throw new Error('the fixture flow does not read');
    expect(keepUnedited(read.definition, null)).toEqual(read.definition);
    expect(keepUnedited(read.definition, flowOf({}))).toEqual(read.definition);
  });
});
