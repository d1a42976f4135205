import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../shared/domain/connection.js';
import { UNKNOWN_CREDENTIALS } from '../../../shared/domain/connection-credentials.js';
import { inboundEndpoint, SECRET_PLACEHOLDER } from '../../../shared/domain/inbound-endpoint.js';
import { ConnectionsTable } from '../../../renderer/pages/connections/ConnectionsTable.js';
import { InboundEndpointView } from '../../../renderer/pages/connections/InboundEndpointView.js';

/**
 * The Connections page's "Address" view of a webhook-in connection: the listener URL with a copy
 * button, the signing steps and an openssl/curl example whose secret is only ever a placeholder.
 */
const running = { baseUrl: 'http://127.0.0.1:4781', service: { state: 'running', lastError: null } };
const escape = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll("'", '&#x27;')
    .replaceAll('"', '&quot;');

const connection: Connection = {
  id: 'conn_aaaaaaaaaa',
  name: 'Lab results',
  kind: 'webhook-in',
  settings: {
    kind: 'webhook-in',
    sourceName: 'lab-results',
    maxBodyBytes: 1048576,
    clockSkewSeconds: 300,
    ratePerMinute: 600,
  },
  secret: { isSet: true, changedAt: '2026-03-01T10:00:00Z' },
  credentials: UNKNOWN_CREDENTIALS,
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T10:00:00Z',
  createdBy: 'ada',
  inbound: inboundEndpoint('lab-results', running),
};

describe('the address and signing recipe of a webhook-in connection', () => {
  it('shows the exact URL with a copy button, every signing step and a runnable example', () => {
    const html = renderToStaticMarkup(
      <InboundEndpointView endpoint={inboundEndpoint('lab-results', running)} />,
    );
    expect(html).toContain('<code data-testid="inbound-url">http://127.0.0.1:4781/hooks/lab-results</code>');
    expect(html).toContain('aria-label="Copy the webhook URL"');
    expect(html).toContain('http://127.0.0.1:4781/fhir/lab-results');
    for (const step of inboundEndpoint('lab-results', running).signing.steps)
      expect(html).toContain(escape(step));
    expect(html).toContain('v2\\nlab-results\\n&lt;timestamp&gt;\\n&lt;event id&gt;\\n&lt;raw body&gt;');
    expect(html).toContain('x-osc-signature');
    expect(html).toContain('openssl dgst -sha256 -hmac');
    expect(html).toContain('curl -X POST &#x27;http://127.0.0.1:4781/hooks/lab-results&#x27;');
    expect(html).toContain('aria-label="Copy the example"');
    expect(html).toContain('loopback');
  });

  it('never holds a secret: the example assigns only the placeholder', () => {
    const html = renderToStaticMarkup(
      <InboundEndpointView endpoint={inboundEndpoint('lab-results', running)} />,
    );
    const assigned = [...html.matchAll(/secret=&#x27;(.*?)&#x27;/g)].map((match) => match[1]);
    expect(assigned).toEqual([escape(SECRET_PLACEHOLDER)]);
    expect(html).toContain(`Authorization: Bearer ${escape(SECRET_PLACEHOLDER)}`);
  });

  it('says why there is no address while the listener does not listen, and shows no URL', () => {
    const endpoint = inboundEndpoint('lab-results', {
      baseUrl: null,
      service: { state: 'restarting', lastError: 'listen EADDRINUSE: address already in use 127.0.0.1:4781' },
    });
    const html = renderToStaticMarkup(<InboundEndpointView endpoint={endpoint} />);
    expect(html).toContain('No address to post to right now: The webhook listener is restarting');
    expect(html).toContain('EADDRINUSE');
    expect(html).not.toContain('/hooks/lab-results');
    expect(html).not.toContain('curl');
    expect(html).toContain('How to sign a request');
  });

  it('offers the Address action on webhook-in rows, to every role', () => {
    const nothing = { edit: false, setSecret: false, delete: false, test: false };
    const noop = () => undefined;
    const html = renderToStaticMarkup(
      <ConnectionsTable
        connections={[connection]}
        allowed={nothing}
        onEdit={noop}
        onSetSecret={noop}
        onDelete={noop}
        onTest={noop}
        onShowInbound={noop}
      />,
    );
    expect(html).toContain('aria-label="Address and signing for Lab results"');
  });
});
