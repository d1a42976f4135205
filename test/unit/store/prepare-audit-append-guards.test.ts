import { describe, expect, it } from 'vitest';
import type { AuditAppend } from '../../../main/store/types.js';
import { prepareAuditAppend } from '../../../main/store/audit/prepare-audit-append.js';
import { StoreError } from '../../../main/store/store-errors.js';

/**
 * The guards for callers that get past the contract's types (plain JavaScript, a parsed file):
 * mutation testing found that removing them left every test green (test/mutation/SURVIVORS.md).
 */
function refusal(entry: unknown): { code: string; message: string } | null {
  try {
    prepareAuditAppend(entry as AuditAppend, 3);
    return null;
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return { code: error.code, message: error.message };
  }
}

const valid = { actor: 'admin', action: 'flows.update', target: 'flow-1', outcome: 'ok', detail: {} };

describe('prepareAuditAppend guards', () => {
  it('refuses an entry that is not an object, naming it', () => {
    expect(refusal(null)).toEqual({ code: 'invalid-audit-entry', message: 'audit entry 3: not an object' });
    expect(refusal('entry')).toEqual({
      code: 'invalid-audit-entry',
      message: 'audit entry 3: not an object',
    });
  });

  it('refuses an outcome other than ok, denied or error', () => {
    for (const outcome of ['maybe', 7, undefined]) {
      expect(refusal({ ...valid, outcome }), String(outcome)).toEqual({
        code: 'invalid-audit-entry',
        message: 'audit entry 3: outcome must be ok, denied or error',
      });
    }
    for (const outcome of ['ok', 'denied', 'error']) expect(refusal({ ...valid, outcome })).toBeNull();
  });
});
