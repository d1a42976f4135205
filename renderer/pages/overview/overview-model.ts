import { describeCredentials, type CredentialNotice } from '../../../shared/domain/connection-credentials.js';
import type { Connection } from '../../../shared/domain/connection.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run } from '../../../shared/domain/run.js';

export interface CredentialRow {
  readonly connection: Connection;
  readonly notice: CredentialNotice;
}

const SEVERITY: Readonly<Record<CredentialNotice['tone'], number>> = { error: 0, warning: 1, ok: 2 };

/** Every connection the console knows something about its credentials, the most urgent first. */
export function credentialRows(connections: readonly Connection[], now: Date): CredentialRow[] {
  return connections
    .flatMap((connection) => {
      const notice = describeCredentials(connection.credentials, now);
      return notice === null ? [] : [{ connection, notice }];
    })
    .sort(
      (a, b) =>
        SEVERITY[a.notice.tone] - SEVERITY[b.notice.tone] ||
        a.connection.name.localeCompare(b.connection.name, undefined, { sensitivity: 'base' }),
    );
}

export interface FlowSummary {
  readonly total: number;
  readonly running: number;
  readonly disabled: number;
  /** Flows whose last run failed, with that run (its error says why). */
  readonly failing: readonly { readonly flow: Flow; readonly run: Run }[];
}

export function flowSummary(flows: readonly Flow[], lastRuns: Readonly<Record<string, Run>>): FlowSummary {
  const failing = flows.flatMap((flow) => {
    const run = lastRuns[flow.id];
    return run?.status === 'failed' ? [{ flow, run }] : [];
  });
  return {
    total: flows.length,
    running: flows.filter((flow) => flow.state === 'running' || flow.state === 'paused').length,
    disabled: flows.filter((flow) => !flow.enabled).length,
    failing,
  };
}
