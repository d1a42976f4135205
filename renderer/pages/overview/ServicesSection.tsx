import { useEffect, useRef, useState } from 'react';
import type { ServiceState, ServicesReport } from '../../../shared/contract/ops/service-ops.js';
import { useClient } from '../../app/client-context.js';
import { relativeTime } from '../../app/format-time.js';

const BADGE: Readonly<Record<ServiceState, string>> = {
  running: 'badge badge-passed',
  starting: 'badge badge-warning',
  restarting: 'badge badge-warning',
  stopped: 'badge',
  failed: 'badge badge-failed',
};

/**
 * The console's long-lived services (engine, inbound listener, CSV watchers, outbound resume) with
 * their state, and where each webhook-in connection's partner posts and how to sign. Read once, then
 * kept current by `services.changed` events: no polling, since every call is audited and would keep
 * the session from locking when idle. A connection change re-reads (its addresses may have moved).
 */
export function ServicesSection() {
  const client = useClient();
  const [report, setReport] = useState<ServicesReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The services on screen: a change for another one (a webhook listener for a new address, or one
  // just removed) re-reads the whole report instead of patching.
  const shown = useRef<ReadonlySet<string>>(new Set());

  useEffect(() => {
    let live = true;
    const load = async (): Promise<void> => {
      const result = await client.operations['services.status']({});
      if (!live) return;
      if (result.ok) {
        shown.current = new Set(result.value.services.map((service) => service.name));
        setReport(result.value);
        setError(null);
      } else setError(result.error.message);
    };
    void load();
    const stop = client.onEvent((event) => {
      if (event.type === 'connections.changed') void load();
      if (event.type !== 'services.changed') return;
      const changed = event.service;
      if (!shown.current.has(changed.name)) {
        void load();
        return;
      }
      setReport((current) =>
        current === null
          ? current
          : {
              ...current,
              services: current.services.map((service) =>
                service.name === changed.name ? changed : service,
              ),
            },
      );
    });
    return () => {
      live = false;
      stop();
    };
  }, [client]);

  return <ServicesView report={report} error={error} now={new Date()} />;
}

/** The section's markup for one report (rendered apart from the loading, for tests). */
export function ServicesView({
  report,
  error,
  now,
}: {
  readonly report: ServicesReport | null;
  readonly error: string | null;
  readonly now: Date;
}) {
  return (
    <section aria-labelledby="overview-services">
      <h2 id="overview-services">Services</h2>
      {error !== null && <p className="empty">Could not read the services: {error}</p>}
      {report !== null && (
        <ul className="overview-list">
          {report.services.map((service) => (
            <li key={service.name} data-service={service.name}>
              {service.label} <span className={BADGE[service.state]}>{service.state}</span>
              <span className="overview-detail">
                since {relativeTime(service.since, now)}
                {service.detail === null ? '' : ` · ${service.detail}`}
                {service.restarts > 0 ? ` · ${service.restarts} restarts` : ''}
                {service.lastError === null ? '' : ` · last error: ${service.lastError}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {report !== null && report.webhookEndpoints.length > 0 && (
        <>
          <h3>Inbound webhook addresses</h3>
          <ul className="overview-list">
            {report.webhookEndpoints.map((endpoint) => (
              <li key={endpoint.connectionId}>
                {endpoint.name}: <code>POST {endpoint.webhookUrl}</code>
                <span className="overview-detail">
                  FHIR rest-hook: <code>{endpoint.fhirUrl}</code>
                </span>
              </li>
            ))}
          </ul>
          <p>How to sign a request:</p>
          <ul>
            {report.signing.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
