import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';

/**
 * FHIR servers explain failures in an OperationOutcome. Turn it into one line an operator can act on:
 * the most severe issues first, each with its code, its text and where in the resource it points.
 */
// Keyed by string: a peer may send a severity outside the R4 value set, which then sorts last.
const SEVERITY_RANK: Readonly<Record<string, number | undefined>> = {
  fatal: 0,
  error: 1,
  warning: 2,
  information: 3,
};

function rank(issue: OperationOutcomeIssue): number {
  return SEVERITY_RANK[issue.severity] ?? 9;
}

export function isOperationOutcome(value: unknown): value is OperationOutcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { resourceType?: unknown }).resourceType === 'OperationOutcome' &&
    Array.isArray((value as { issue?: unknown }).issue)
  );
}

function describeIssue(issue: OperationOutcomeIssue): string {
  const text =
    issue.diagnostics ??
    issue.details?.text ??
    issue.details?.coding?.find((coding) => coding.display !== undefined)?.display ??
    'no details given';
  const where = issue.expression?.[0] ?? issue.location?.[0];
  return `${issue.severity} (${issue.code}): ${text}${where === undefined ? '' : ` at ${where}`}`;
}

/** At most `limit` issues, most severe first, with a count of the rest. */
export function describeOperationOutcome(outcome: OperationOutcome, limit = 3): string {
  const issues = [...outcome.issue].sort((a, b) => rank(a) - rank(b));
  if (issues.length === 0) return 'The server returned an OperationOutcome without issues.';
  const shown = issues.slice(0, limit).map(describeIssue);
  const rest = issues.length - shown.length;
  return shown.join('; ') + (rest > 0 ? `; and ${rest} more issue(s)` : '');
}

/** The first issue code, for the machine-readable ConnectorError code ('fhir.not-found', …). */
export function primaryIssueCode(outcome: OperationOutcome): string | null {
  const issue = [...outcome.issue].sort((a, b) => rank(a) - rank(b))[0];
  return issue?.code ?? null;
}
