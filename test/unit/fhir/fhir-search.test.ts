import { describe, expect, it } from 'vitest';
import { firstSearchPath, parseFhirSelector } from '../../../main/connectors/fhir/fhir-search.js';
import { ConnectorError } from '../../../main/connectors/types.js';

describe('FHIR search selector', () => {
  it('builds the incremental first page', () => {
    const selector = parseFhirSelector({ resourceType: 'ChargeItem', params: { status: 'billable' } });
    expect(firstSearchPath(selector, '2025-03-01T00:00:00.000Z', 500)).toBe(
      'ChargeItem?status=billable&_lastUpdated=gt2025-03-01T00%3A00%3A00.000Z&_sort=_lastUpdated&_count=500',
    );
    expect(firstSearchPath(parseFhirSelector({ resourceType: 'Patient' }), null, 10)).toBe(
      'Patient?_sort=_lastUpdated&_count=10',
    );
  });

  it.each([
    [{}],
    [{ resourceType: 'chargeItem' }],
    [{ resourceType: 'ChargeItem/../x' }],
    [{ resourceType: 'ChargeItem', params: { _count: '5' } }],
    [{ resourceType: 'ChargeItem', params: { _lastUpdated: 'gt2020' } }],
    [{ resourceType: 'ChargeItem', params: { 'bad name': 'x' } }],
    [{ resourceType: 42 }],
  ])('refuses the selector %j', (selector) => {
    expect(() => parseFhirSelector(selector)).toThrow(ConnectorError);
  });
});
