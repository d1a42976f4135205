import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { ConnectionOutageView } from '../../../shared/domain/outage.js';
import { absoluteTime } from '../../app/format-time.js';
import { downSinceText } from '../../components/breaker-text.js';
import { ageText, BREAKER_STATE_LABELS, clockText, plural } from '../../components/outage-text.js';
import { DegradedModeDialog } from './DegradedModeDialog.js';

interface ConnectionOutageCardProps {
  readonly view: ConnectionOutageView;
  /** Whether this operator may switch degraded mode (the server checks again). */
  readonly canSwitch: boolean;
  readonly now: Date;
}

function breakerTone(view: ConnectionOutageView): string {
  if (view.breaker === null || view.breaker.state === 'closed') return 'badge-passed';
  return view.breaker.state === 'open' ? 'badge-failed' : 'badge-warning';
}

/** One connection: its breaker and history, degraded mode and the switch, its flows and waiting writes. */
export function ConnectionOutageCard({ view, canSwitch, now }: ConnectionOutageCardProps) {
  const [dialog, setDialog] = useState<'on' | 'off' | null>(null);
  const headingId = `outage-${view.connectionId}`;
  const breaker = view.breaker;
  const state = breaker?.state ?? 'closed';

  return (
    <section className="panel outage-card" aria-labelledby={headingId}>
      <header className="page-header">
        <h3 id={headingId}>{view.name}</h3>
        {/* One word for the whole state: degraded mode (switched by hand) says more than a closed breaker. */}
        {view.degraded === null ? (
          <span className={`badge ${breakerTone(view)}`}>{BREAKER_STATE_LABELS[state]}</span>
        ) : (
          <span className="badge badge-warning">Degraded mode</span>
        )}
      </header>
      <dl className="outage-facts">
        <div>
          <dt>Circuit breaker</dt>
          <dd>
            {breaker === null || breaker.state === 'closed'
              ? `Closed${breaker === null ? '' : ` since ${clockText(breaker.since, now)}`}: writes go through`
              : `${downSinceText(breaker, now)}; ${plural(breaker.failures, 'failure', 'failures')} in a row`}
            {breaker?.lastError != null && breaker.state !== 'closed' && (
              <span className="outage-error"> — {breaker.lastError}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Degraded mode</dt>
          <dd>
            {view.degraded === null
              ? 'Off'
              : `On since ${clockText(view.degraded.since, now)} by ${view.degraded.switchedBy}: ${view.degraded.reason}`}
          </dd>
        </div>
        <div>
          <dt>Waiting writes</dt>
          <dd>
            {view.waiting === 0 || view.oldestQueuedAt === null
              ? 'None'
              : `${plural(view.waiting, 'write', 'writes')}, oldest ${ageText(view.oldestQueuedAt, now)} old`}
          </dd>
        </div>
        <div>
          <dt>Flows affected</dt>
          <dd>
            {view.flows.length === 0 ? (
              'None'
            ) : (
              <ul className="outage-flow-list">
                {view.flows.map((flow) => (
                  <li key={`${flow.flowId}-${flow.role}`}>
                    {flow.name}{' '}
                    <span className="muted">
                      ({flow.role === 'source' ? 'reads from it' : 'writes to it'})
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {canSwitch && (
        <div className="form-actions">
          {view.degraded === null ? (
            <Button className="button" onPress={() => setDialog('on')}>
              Switch to degraded mode
            </Button>
          ) : (
            <Button className="button button-primary" onPress={() => setDialog('off')}>
              Switch degraded mode off
            </Button>
          )}
        </div>
      )}
      {breaker !== null && breaker.transitions.length > 0 && (
        <details className="outage-history">
          <summary>Breaker history ({breaker.transitions.length})</summary>
          <table className="data-table">
            <caption className="visually-hidden">Breaker history of {view.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Change</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {breaker.transitions.map((transition) => (
                <tr key={`${transition.at}-${transition.to}`}>
                  <td title={absoluteTime(transition.at)}>{clockText(transition.at, now)}</td>
                  <td>
                    {BREAKER_STATE_LABELS[transition.from]} → {BREAKER_STATE_LABELS[transition.to]}
                  </td>
                  <td className="cell-note">{transition.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {dialog !== null && (
        <DegradedModeDialog connection={view} switchTo={dialog} onClose={() => setDialog(null)} />
      )}
    </section>
  );
}
