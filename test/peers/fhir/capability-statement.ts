import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4';

/** What the emulator tells `GET /metadata`: FHIR 4.0.1, and per type read/search/create/update. */
export function capabilityStatement(
  types: readonly CapabilityStatementRestResource['type'][],
): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2025-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'OSC FHIR emulator', version: '1.0' },
    rest: [
      {
        mode: 'server',
        resource: types.map((type) => ({
          type,
          interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }, { code: 'update' }],
          conditionalCreate: true,
          versioning: 'versioned-update',
          searchParam: [
            { name: '_lastUpdated', type: 'date' },
            { name: 'identifier', type: 'token' },
          ],
        })),
      },
    ],
  };
}
