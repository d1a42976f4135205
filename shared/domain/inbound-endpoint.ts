import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  SIGNATURE_VERSION,
  TIMESTAMP_HEADER,
} from './webhook-signing.js';

/**
 * Where a webhook-in connection's partner posts and how to sign a request, as the API answers it
 * for that connection (connections.get / list). The URL is the running listener's own bound
 * address, never a guess: while the listener does not listen the answer says so and why. The
 * secret is never part of it; the example carries a placeholder the partner replaces.
 */
export const SECRET_PLACEHOLDER = '<signing secret of this source>';

export interface InboundSigningRecipe {
  readonly method: 'POST';
  readonly contentType: 'application/json';
  /** The header names to send. */
  readonly headers: {
    readonly timestamp: typeof TIMESTAMP_HEADER;
    readonly eventId: typeof EVENT_ID_HEADER;
    readonly eventType: typeof EVENT_TYPE_HEADER;
    readonly signature: typeof SIGNATURE_HEADER;
  };
  /** The exact text the HMAC covers, with this source filled in and the variable parts named. */
  readonly signedText: string;
  /** The signature header's value. */
  readonly signatureValue: string;
  /** Step by step, for the partner's IT person. */
  readonly steps: readonly string[];
  /** FHIR R4 rest-hook servers cannot sign; their Subscription sends this header line instead. */
  readonly fhirHeader: string;
}

export type InboundEndpoint =
  | {
      readonly listening: true;
      /** Signed partner events: POST here. */
      readonly url: string;
      /** FHIR R4 rest-hook Subscription endpoint for the same source. */
      readonly fhirUrl: string;
      /** A loopback listener is reachable from this computer only; a note says so. */
      readonly note: string | null;
      readonly signing: InboundSigningRecipe;
      /** A shell example (printf | openssl | curl) with the secret as a placeholder. */
      readonly example: string;
    }
  | {
      readonly listening: false;
      /** Why there is no address to post to right now. */
      readonly reason: string;
      readonly signing: InboundSigningRecipe;
    };

/** What the console knows, when it answers, about the listener one connection is received on. */
export interface ListenerState {
  /** The listener's base URL (scheme, bound address, port) while it listens, else null. */
  readonly baseUrl: string | null;
  /** The configured `host:port` it binds (the connection's own or the console's default). */
  readonly address?: string | null;
  /** The listener service's state and last error, or null when this console runs no listener. */
  readonly service: { readonly state: string; readonly lastError: string | null } | null;
}

export function signingRecipe(sourceName: string): InboundSigningRecipe {
  const signedText = `${SIGNATURE_VERSION}\n${sourceName}\n<timestamp>\n<event id>\n<raw body>`;
  return {
    method: 'POST',
    contentType: 'application/json',
    headers: {
      timestamp: TIMESTAMP_HEADER,
      eventId: EVENT_ID_HEADER,
      eventType: EVENT_TYPE_HEADER,
      signature: SIGNATURE_HEADER,
    },
    signedText,
    signatureValue: `${SIGNATURE_VERSION}=<hex HMAC-SHA256 of the signed text, keyed with the signing secret>`,
    steps: [
      `Get the signing secret of source "${sourceName}" from the console's operator (it is stored in the console's keychain and never shown again).`,
      `For each event take the current unix time in seconds (the timestamp) and your own unique id for the event (1-200 printable ASCII characters, the same on every retry).`,
      `Build the signed text: "${SIGNATURE_VERSION}", the source "${sourceName}", the timestamp, the event id and the raw body exactly as you send it, joined by newlines (LF, byte 0x0A).`,
      `Compute HMAC-SHA256 of the signed text with the signing secret as key, written as lower-case hex.`,
      `POST the body with Content-Type: application/json and the headers ${TIMESTAMP_HEADER}: <timestamp>, ${EVENT_ID_HEADER}: <event id>, ${SIGNATURE_HEADER}: ${SIGNATURE_VERSION}=<hex> (optionally ${EVENT_TYPE_HEADER}: <type>).`,
      `202 means stored. 409 replayed-event means it was already stored: do not resend. On 429 or 503 retry after the Retry-After seconds; any other 4xx names what to fix in its "error".`,
    ],
    fhirHeader: `Authorization: Bearer ${SECRET_PLACEHOLDER}`,
  };
}

/** A shell example that signs and posts one test event to `url`; only the secret is a placeholder. */
export function signingExample(url: string, sourceName: string): string {
  const quotedUrl = `'${url.replaceAll("'", "'\\''")}'`;
  return [
    `secret='${SECRET_PLACEHOLDER}'`,
    `ts=$(date +%s); id="evt-$(openssl rand -hex 8)"; body='{"type":"test.ping"}'`,
    `sig=$(printf '${SIGNATURE_VERSION}\\n%s\\n%s\\n%s\\n%s' ${sourceName} "$ts" "$id" "$body" | openssl dgst -sha256 -hmac "$secret" -hex | cut -d' ' -f2)`,
    `curl -X POST ${quotedUrl} -H 'content-type: application/json' \\`,
    `  -H "${TIMESTAMP_HEADER}: $ts" -H "${EVENT_ID_HEADER}: $id" -H "${SIGNATURE_HEADER}: ${SIGNATURE_VERSION}=$sig" --data-binary "$body"`,
  ].join('\n');
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
const ANY_ADDRESS = /^(0\.0\.0\.0|\[::\])$/;

/** The answer for one webhook-in connection, from its source name and the listener's state. */
export function inboundEndpoint(sourceName: string, listener: ListenerState): InboundEndpoint {
  const signing = signingRecipe(sourceName);
  if (listener.baseUrl === null) {
    const reason =
      listener.service === null
        ? 'This console process runs no webhook listener (osc serve, the demo and the desktop app start one).'
        : `The webhook listener${(listener.address ?? null) === null ? '' : ` on ${listener.address}`} is ${listener.service.state}` +
          (listener.service.lastError === null ? '' : ` (last error: ${listener.service.lastError})`) +
          '; the address to post to appears here once it listens.';
    return { listening: false, reason, signing };
  }
  const url = `${listener.baseUrl}/hooks/${sourceName}`;
  const host = new URL(listener.baseUrl).hostname;
  const note = LOOPBACK.test(host)
    ? "The listener is bound to loopback: only programs on this computer can post to it. To receive from another machine, set the connection's listen host (or start the console with --webhook-host <address>); that needs the console's TLS files or --insecure-http for a lab."
    : ANY_ADDRESS.test(host)
      ? `The listener accepts on every network address of this computer: partners replace ${host} with the name or address they reach it by.`
      : null;
  return {
    listening: true,
    url,
    fhirUrl: `${listener.baseUrl}/fhir/${sourceName}`,
    note,
    signing,
    example: signingExample(url, sourceName),
  };
}
