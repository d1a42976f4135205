import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { OutboxFlowView } from '../../../shared/domain/outage.js';
import { useCan } from '../../app/use-can.js';
import { ageText, plural } from '../../components/outage-text.js';
import { DrainProgress } from './DrainProgress.js';
import { OutboxEntries } from './OutboxEntries.js';

interface OutboxSectionProps {
  readonly outbox: readonly OutboxFlowView[];
  readonly connectionNames: ReadonlyMap<string, string>;
  readonly now: Date;
  /** Bumped with every new overview, so an open contents list follows it. */
  readonly refreshKey: unknown;
}

/** The outbox per flow: depth, oldest waiting write, the replay's progress, and the contents. */
export function OutboxSection({ outbox, connectionNames, now, refreshKey }: OutboxSectionProps) {
  // Payloads may hold patient data: only the roles that run outages read them.
  const canRead = useCan('outbox.list');
  const canControl = useCan('runs.pause');
  const [openFlowId, setOpenFlowId] = useState<string | null>(null);
  const open = outbox.find((flow) => flow.flowId === openFlowId) ?? null;

  return (
    <section className="outages-section" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">Outbox</h2>
      <p className="page-lead">
        Writes that wait for their target, per flow. They are sent in order (per ordering key) when the
        breaker closes or degraded mode is switched off.
      </p>
      {outbox.length === 0 ? (
        <p className="empty">No flow has writes in its outbox.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table outbox-flows-table">
            <thead>
              <tr>
                <th scope="col">Flow</th>
                <th scope="col">Target</th>
                <th scope="col">Waiting</th>
                <th scope="col">Oldest waiting</th>
                <th scope="col">Replay</th>
                {canRead && (
                  <th scope="col">
                    <span className="visually-hidden">Contents</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {outbox.map((flow) => (
                <tr key={flow.flowId}>
                  <th scope="row">{flow.flowName}</th>
                  <td>{connectionNames.get(flow.connectionId) ?? flow.connectionId}</td>
                  <td>
                    {plural(flow.waiting, 'write', 'writes')}
                    {flow.held > 0 && (
                      <span className="muted"> ({flow.held.toLocaleString('en-US')} held for review)</span>
                    )}
                  </td>
                  <td>{flow.oldestQueuedAt === null ? '—' : `${ageText(flow.oldestQueuedAt, now)} ago`}</td>
                  <td>
                    {flow.drain === null ? (
                      <span className="muted">Not replaying</span>
                    ) : (
                      <DrainProgress flowName={flow.flowName} drain={flow.drain} canControl={canControl} />
                    )}
                  </td>
                  {canRead && (
                    <td>
                      <Button
                        className="button button-small"
                        aria-expanded={openFlowId === flow.flowId}
                        onPress={() => setOpenFlowId(openFlowId === flow.flowId ? null : flow.flowId)}
                      >
                        {openFlowId === flow.flowId
                          ? `Hide outbox of ${flow.flowName}`
                          : `Show outbox of ${flow.flowName}`}
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canRead && open !== null && (
        <section className="panel" aria-labelledby="outbox-contents-heading">
          <h3 id="outbox-contents-heading">Waiting writes of {open.flowName}</h3>
          <OutboxEntries flowId={open.flowId} flowName={open.flowName} refreshKey={refreshKey} />
        </section>
      )}
    </section>
  );
}
