import { Button } from 'react-aria-components';
import type { DowntimeProcedure } from '../../../shared/domain/outage.js';
import { absoluteTime } from '../../app/format-time.js';
import { Alert } from '../../components/Alert.js';
import { exposureText } from '../../components/outage-text.js';

const STATE_LABELS = { up: 'Up', degraded: 'Degraded mode', down: 'Down' } as const;

interface ProcedureViewProps {
  readonly procedure: DowntimeProcedure | null;
  readonly error: string | null;
  readonly now: Date;
}

/**
 * The downtime procedure generated from the configuration: per connection what to do, who does it,
 * in which order, and which flows are affected, with the current exposure. The print stylesheet
 * prints this section alone (for the binder next to the ward's phone).
 */
export function ProcedureView({ procedure, error, now }: ProcedureViewProps) {
  return (
    <section className="outages-section procedure" aria-labelledby="procedure-heading">
      <header className="page-header">
        <h2 id="procedure-heading">Downtime procedure</h2>
        <Button
          className="button procedure-print"
          onPress={() => window.print()}
          isDisabled={procedure === null}
        >
          Print procedure
        </Button>
      </header>
      {error !== null && <Alert tone="error">Could not build the procedure: {error}</Alert>}
      {procedure !== null && (
        <>
          <p className="procedure-meta">
            Generated {absoluteTime(procedure.generatedAt)}. Current exposure:{' '}
            {exposureText(procedure.exposure, now)}
          </p>
          {procedure.sections.map((section) => (
            <article
              key={section.connectionId}
              className="procedure-section"
              aria-labelledby={`procedure-${section.connectionId}`}
            >
              <h3 id={`procedure-${section.connectionId}`}>
                If {section.name} ({section.kind}) is down{' '}
                <span className="procedure-state">— now: {STATE_LABELS[section.state]}</span>
              </h3>
              <p>
                Flows affected:{' '}
                {section.affectedFlows.length === 0 ? 'none' : section.affectedFlows.join(', ')}
              </p>
              <ol className="procedure-steps">
                {section.steps.map((step, index) => (
                  <li key={index}>
                    <strong>{step.who}:</strong> {step.what}
                  </li>
                ))}
              </ol>
            </article>
          ))}
        </>
      )}
    </section>
  );
}
