import { describe, expect, it } from 'vitest';
import type { OperationOutcome } from 'fhir/r4';
import {
  describeOperationOutcome,
  isOperationOutcome,
  primaryIssueCode,
} from '../../../main/connectors/fhir/operation-outcome.js';

describe('OperationOutcome messages', () => {
  const outcome: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: [
      { severity: 'warning', code: 'informational', diagnostics: 'Narrative ignored' },
      {
        severity: 'error',
        code: 'required',
        diagnostics: 'subject is required',
        expression: ['ChargeItem.subject'],
      },
      { severity: 'fatal', code: 'structure', details: { text: 'Body is not a resource' } },
      { severity: 'error', code: 'value', details: { coding: [{ display: 'Bad code' }] } },
    ],
  };

  it('lists the most severe issues first, with where they point, and counts the rest', () => {
    expect(describeOperationOutcome(outcome)).toBe(
      'fatal (structure): Body is not a resource; error (required): subject is required at ChargeItem.subject; ' +
        'error (value): Bad code; and 1 more issue(s)',
    );
    expect(primaryIssueCode(outcome)).toBe('structure');
  });

  it('copes with an empty issue list and unknown severities', () => {
    expect(describeOperationOutcome({ resourceType: 'OperationOutcome', issue: [] })).toMatch(
      /without issues/,
    );
    const odd = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'odd', code: 'x' }],
    } as unknown as OperationOutcome;
    expect(describeOperationOutcome(odd)).toBe('odd (x): no details given');
  });

  it('recognises only real OperationOutcomes', () => {
    expect(isOperationOutcome(outcome)).toBe(true);
    expect(isOperationOutcome({ resourceType: 'OperationOutcome' })).toBe(false);
    expect(isOperationOutcome({ resourceType: 'Bundle', issue: [] })).toBe(false);
    expect(isOperationOutcome(null)).toBe(false);
    expect(isOperationOutcome('OperationOutcome')).toBe(false);
  });
});
