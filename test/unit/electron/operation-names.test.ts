import { describe, expect, it } from 'vitest';
import { OPERATION_NAME_LIST } from '../../../shared/contract/operation-names.js';
import { operations } from '../../../shared/contract/operations.js';

describe('OPERATION_NAME_LIST (the preload’s names-only view of the contract)', () => {
  it('equals the keys of the operations table, in order, without duplicates', () => {
    expect([...OPERATION_NAME_LIST]).toEqual(Object.keys(operations));
    expect(new Set(OPERATION_NAME_LIST).size).toBe(OPERATION_NAME_LIST.length);
  });
});
