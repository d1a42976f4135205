/**
 * A flow that reads from or writes to a connection: what the console shows before the connection is
 * deleted, and what a refused delete names (issue 14: a connection five flows use is never removed
 * without a word).
 */
export interface ConnectionUsage {
  readonly flowId: string;
  readonly flowName: string;
  /** A disabled flow still counts: enabling it later would run against a connection that is gone. */
  readonly enabled: boolean;
  readonly roles: readonly ('source' | 'target')[];
}

/** "Admissions, Charges → invoices (disabled)": the flow list a refusal message carries. */
export function describeUsages(usages: readonly ConnectionUsage[]): string {
  return usages.map((usage) => `${usage.flowName}${usage.enabled ? '' : ' (disabled)'}`).join(', ');
}
