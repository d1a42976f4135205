import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';

/** An OperationOutcome with one issue, the way FHIR servers explain a refused request. */
export function operationOutcome(
  code: OperationOutcomeIssue['code'],
  diagnostics: string,
  severity: OperationOutcomeIssue['severity'] = 'error',
  expression?: string,
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      { severity, code, diagnostics, ...(expression === undefined ? {} : { expression: [expression] }) },
    ],
  };
}
