import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ServicesReport, ServiceStatus } from '../../../shared/contract/ops/service-ops.js';
import { isLiveEvent } from '../../../renderer/client/live-event-shape.js';
import { ServicesView } from '../../../renderer/pages/overview/ServicesSection.js';

const now = new Date('2026-03-01T12:00:00Z');
const status = (overrides: Partial<ServiceStatus>): ServiceStatus => ({
  name: 'engine',
  label: 'Sync engine (worker + scheduler)',
  state: 'running',
  since: '2026-03-01T11:59:00Z',
  restarts: 0,
  lastError: null,
  lastErrorAt: null,
  detail: 'worker running',
  ...overrides,
});
const report: ServicesReport = {
  services: [
    status({}),
    status({
      name: 'webhook-listener',
      label: 'Inbound webhook + FHIR rest-hook listener',
      state: 'restarting',
      restarts: 3,
      lastError: 'listen EADDRINUSE: address already in use 127.0.0.1:4781',
      detail: null,
    }),
  ],
  webhookListenerUrl: 'http://127.0.0.1:4781',
  webhookListeners: [
    {
      address: '127.0.0.1:4781',
      service: 'webhook-listener',
      url: 'http://127.0.0.1:4781',
      connectionIds: ['conn_aaaaaaaaaa'],
    },
  ],
  webhookEndpoints: [
    {
      connectionId: 'conn_aaaaaaaaaa',
      name: 'Lab results',
      sourceName: 'lab-results',
      webhookUrl: 'http://127.0.0.1:4781/hooks/lab-results',
      fhirUrl: 'http://127.0.0.1:4781/fhir/lab-results',
    },
  ],
  signing: ['x-osc-signature: v2=<hex HMAC-SHA256 …>'],
};

describe('the Services section of the Overview', () => {
  it('shows each service, a restarting one with its restarts and last error, and where to post', () => {
    const html = renderToStaticMarkup(<ServicesView report={report} error={null} now={now} />);
    expect(html).toContain('Services');
    expect(html).toMatch(
      /Sync engine \(worker \+ scheduler\) <span class="badge badge-passed">running<\/span>/,
    );
    expect(html).toMatch(/listener <span class="badge badge-warning">restarting<\/span>/);
    expect(html).toContain('3 restarts');
    expect(html).toContain('last error: listen EADDRINUSE');
    expect(html).toContain('POST http://127.0.0.1:4781/hooks/lab-results');
    expect(html).toContain('http://127.0.0.1:4781/fhir/lab-results');
    expect(html).toContain('x-osc-signature: v2=');
  });

  it('takes services.changed live events as they come, and refuses malformed ones', () => {
    expect(isLiveEvent({ type: 'services.changed', service: status({ state: 'failed' }) })).toBe(true);
    expect(
      isLiveEvent({ type: 'services.changed', service: status({ state: 'exploded' as 'failed' }) }),
    ).toBe(false);
    expect(isLiveEvent({ type: 'services.changed', service: { name: 'engine' } })).toBe(false);
  });
});
