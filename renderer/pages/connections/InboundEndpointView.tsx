import type { InboundEndpoint } from '../../../shared/domain/inbound-endpoint.js';
import { CopyButton } from './CopyButton.js';

/**
 * Where a webhook-in connection's partner posts and how to sign, as the server answered it: the URL
 * with a copy button, the signing steps and a shell example a partner's IT person can run. The
 * secret is never here: the example holds a placeholder the partner replaces.
 */
export function InboundEndpointView({ endpoint }: { readonly endpoint: InboundEndpoint }) {
  const { signing } = endpoint;
  return (
    <div className="inbound-endpoint">
      {endpoint.listening ? (
        <>
          <p>Partners post signed events to:</p>
          <p className="copy-line">
            <code data-testid="inbound-url">{endpoint.url}</code>
            <CopyButton text={endpoint.url} label="Copy the webhook URL" />
          </p>
          <p className="copy-line">
            FHIR R4 rest-hook Subscriptions: <code>{endpoint.fhirUrl}</code>
            <CopyButton text={endpoint.fhirUrl} label="Copy the FHIR rest-hook URL" />
          </p>
          {endpoint.note !== null && <p className="inbound-note">{endpoint.note}</p>}
        </>
      ) : (
        <p className="empty">No address to post to right now: {endpoint.reason}</p>
      )}
      <h3>How to sign a request</h3>
      <ol>
        {signing.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <p>
        Signed text (LF between the parts): <code>{signing.signedText.replaceAll('\n', '\\n')}</code>
      </p>
      <p>
        Headers: <code>{signing.headers.timestamp}</code>, <code>{signing.headers.eventId}</code>,{' '}
        <code>{signing.headers.signature}</code>: <code>{signing.signatureValue}</code>, optional{' '}
        <code>{signing.headers.eventType}</code>.
      </p>
      <p>
        FHIR servers that cannot sign set the Subscription channel header <code>{signing.fhirHeader}</code>.
      </p>
      {endpoint.listening && (
        <>
          <h3>Example (shell with openssl and curl)</h3>
          <pre className="code-block">{endpoint.example}</pre>
          <CopyButton text={endpoint.example} label="Copy the example" />
        </>
      )}
    </div>
  );
}
