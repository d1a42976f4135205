import { describe, expect, it } from 'vitest';
import type { FallbackField } from '../../../shared/domain/fallback.js';
import { fallbackChoices } from '../../../renderer/pages/outages/fallback-choices.js';
import { fallbackValues, inputTypeOf, valuesText } from '../../../renderer/pages/outages/fallback-values.js';
import { reasonProblem } from '../../../renderer/pages/outages/reason-check.js';
import { breakerOf, calmOverview, connectionOf, FHIR, FLOW } from './outage-fixtures.js';

const field = (name: string, type: FallbackField['type'], required = true): FallbackField => ({
  name,
  label: name[0]!.toUpperCase() + name.slice(1),
  type,
  required,
  path: name,
});
const FIELDS = [
  field('encounter', 'text'),
  field('quantity', 'number'),
  field('day', 'date'),
  field('at', 'date-time', false),
  field('location', 'text', false),
];

describe('manual fallback form values', () => {
  it('turns the strings into what fallback.enter takes', () => {
    const at = '2026-01-31T14:30';
    expect(
      fallbackValues(FIELDS, { encounter: ' E-1042 ', quantity: '2,5', day: '2026-01-31', at, location: '' }),
    ).toEqual({
      values: { encounter: 'E-1042', quantity: 2.5, day: '2026-01-31', at: new Date(at).toISOString() },
      errors: {},
    });
  });

  it('names each field that cannot be sent', () => {
    expect(fallbackValues(FIELDS, { quantity: 'two', day: '31.01.2026', at: 'soon' }).errors).toEqual({
      encounter: 'Encounter is required',
      quantity: 'Enter a number, like 2 or 0.5',
      day: 'Enter a date like 2026-01-31',
      at: 'Enter a date and time like 2026-01-31 14:30',
    });
    expect(reasonProblem('  ok ')).toBe('Say why (at least 3 characters)');
    expect(reasonProblem('Ward system down')).toBeNull();
  });

  it('picks inputs and shows entries with the form labels', () => {
    expect(FIELDS.map(inputTypeOf)).toEqual(['text', 'text', 'date', 'datetime-local', 'text']);
    expect(valuesText(FIELDS, { quantity: 2, encounter: 'E-1', extra: 'x' })).toBe(
      'Encounter: E-1 · Quantity: 2 · extra: x',
    );
  });

  it('offers every flow once, the one whose source is down first', () => {
    expect(fallbackChoices(calmOverview().connections)).toEqual({
      flows: [{ flowId: FLOW, name: 'Supplies to invoices' }],
      preferredFlowId: null,
    });
    const sourceDown = connectionOf({
      connectionId: FHIR,
      name: 'Ward FHIR',
      breaker: breakerOf({ connectionId: FHIR }),
      flows: [{ flowId: FLOW, name: 'Supplies to invoices', role: 'source' }],
    });
    expect(fallbackChoices([calmOverview().connections[0]!, sourceDown]).preferredFlowId).toBe(FLOW);
  });
});
