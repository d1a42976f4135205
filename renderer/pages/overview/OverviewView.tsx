import type { Connection } from '../../../shared/domain/connection.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run } from '../../../shared/domain/run.js';
import { CredentialBadge } from '../../components/CredentialBadge.js';
import { credentialRows, flowSummary } from './overview-model.js';

export interface OverviewViewProps {
  readonly connections: readonly Connection[];
  /** Null when the operator's roles may not list flows. */
  readonly flows: {
    readonly flows: readonly Flow[];
    readonly lastRuns: Readonly<Record<string, Run>>;
  } | null;
  readonly now: Date;
}

/** The overview's content: connection credentials (expiry, refusals) and flows whose last run failed. */
export function OverviewView({ connections, flows, now }: OverviewViewProps) {
  const credentials = credentialRows(connections, now);
  const summary = flows === null ? null : flowSummary(flows.flows, flows.lastRuns);
  return (
    <>
      <section aria-labelledby="overview-credentials">
        <h2 id="overview-credentials">Connection credentials</h2>
        {credentials.length === 0 ? (
          <p className="empty">
            Nothing known to expire or refused. Test connection reads an Odoo API key&apos;s expiry.
          </p>
        ) : (
          <ul className="overview-list">
            {credentials.map(({ connection, notice }) => (
              <li key={connection.id}>
                <a href="#/connections">{connection.name}</a>{' '}
                <CredentialBadge status={connection.credentials} now={now} />
                <span className="overview-detail">{notice.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {summary !== null && (
        <section aria-labelledby="overview-flows">
          <h2 id="overview-flows">Flows</h2>
          <p>
            {summary.total} flows · {summary.running} running · {summary.disabled} disabled ·{' '}
            {summary.failing.length} whose last run failed
          </p>
          {summary.failing.length > 0 && (
            <ul className="overview-list">
              {summary.failing.map(({ flow, run }) => (
                <li key={flow.id}>
                  <a href="#/flows">{flow.name}</a>{' '}
                  <span className="badge badge-failed">last run failed</span>
                  <span className="overview-detail">{run.error ?? 'See its failures.'}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
