import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../shared/domain/connection.js';
import { buildFlowRows } from '../../../renderer/pages/flows/flow-rows.js';
import { flowOf } from './engine-fixtures.js';

const state = { flows: [flowOf()], lastRuns: {}, progress: {}, freshness: {} };
const fhirOnly = [{ id: 'conn_fhirfhirfh', name: 'Clinic FHIR' }] as unknown as Connection[];

describe('flow rows whose connection was deleted (issue 14)', () => {
  it('say "Connection deleted" once the connection list is known, also when it is empty', () => {
    expect(buildFlowRows(state, fhirOnly)[0]).toMatchObject({
      sourceName: 'Clinic FHIR',
      targetName: 'Connection deleted',
    });
    expect(buildFlowRows(state, [])[0]).toMatchObject({
      sourceName: 'Connection deleted',
      targetName: 'Connection deleted',
    });
  });

  it('show the id, not "deleted", while the connection list has not arrived', () => {
    expect(buildFlowRows(state, null)[0]).toMatchObject({
      sourceName: 'conn_fhirfhirfh',
      targetName: 'conn_odooodooo1',
    });
  });
});
