import { describe, expect, it } from 'vitest';
import { backfillDateProblem } from '../../../renderer/pages/flows/BackfillDialog.js';
import {
  initialFlowValues,
  readFlowForm,
  type FlowFormValues,
} from '../../../renderer/pages/flows/flow-form-values.js';
import { flowOf } from './engine-fixtures.js';

const filled: FlowFormValues = {
  ...initialFlowValues(null),
  name: 'Supply consumption',
  sourceConnectionId: 'conn_fhirfhirfh',
  sourceSelector: '{"resourceType": "SupplyDelivery"}',
  targetConnectionId: 'conn_odooodooo1',
  targetOperation: '{"model": "stock.move", "kind": "upsert"}',
  mappingId: 'map_aaaaaaaaaa',
};

describe('flow form', () => {
  it('reads a complete form into a definition with the contract defaults', () => {
    const read = readFlowForm({
      ...filled,
      scheduleKind: 'cron',
      cronExpression: '*/15 * * * *',
      freshnessMinutes: '15',
    });
    expect(read.ok).toBe(true);
    expect(read.ok && read.definition).toMatchObject({
      schedule: { kind: 'cron', expression: '*/15 * * * *' },
      sourceSelector: { resourceType: 'SupplyDelivery' },
      batchSize: 200,
      freshnessObjectiveMinutes: 15,
      orderingKey: '',
      enabled: true,
    });
  });

  it('round-trips an existing flow', () => {
    const flow = flowOf({ freshnessObjectiveMinutes: 60, batchSize: 50, schedule: { kind: 'realtime' } });
    const read = readFlowForm(initialFlowValues(flow));
    expect(read.ok && read.definition).toMatchObject({
      batchSize: 50,
      freshnessObjectiveMinutes: 60,
      schedule: { kind: 'realtime' },
    });
  });

  it('names each bad field: JSON that does not parse or is not an object, numbers, missing choices', () => {
    const read = readFlowForm({
      ...initialFlowValues(null),
      sourceSelector: '{"resourceType": ',
      targetOperation: '[1, 2]',
      batchSize: 'lots',
      freshnessMinutes: '-5',
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.fields.targetOperation).toContain('JSON object');
    expect(read.errors.fields).toMatchObject({
      name: 'Give the flow a name',
      sourceSelector: 'Not valid JSON',
      batchSize: 'Enter a whole number',
      freshnessObjectiveMinutes: 'Enter a whole number',
      sourceConnectionId: 'Choose the source connection',
      targetConnectionId: 'Choose the target connection',
      mappingId: 'Choose a mapping',
    });
  });

  it("passes the schema's own limits through (batch size, cron expression)", () => {
    const read = readFlowForm({
      ...filled,
      batchSize: '999999',
      scheduleKind: 'cron',
      cronExpression: '* *',
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(Object.keys(read.errors.fields).sort()).toEqual(['batchSize', 'schedule.expression']);
  });
});

describe('backfill date', () => {
  it('accepts a real calendar date and refuses anything else', () => {
    expect(backfillDateProblem(' 2026-01-31 ')).toBeNull();
    expect(backfillDateProblem('31/01/2026')).toBe('Use a date like 2026-01-31');
    expect(backfillDateProblem('')).toBe('Use a date like 2026-01-31');
    expect(backfillDateProblem('2026-13-45')).toBe('Not a real date');
  });
});
