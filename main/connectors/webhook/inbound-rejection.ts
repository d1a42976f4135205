/**
 * Every way an inbound webhook can be refused, with its HTTP status and the sentence the partner's
 * developer reads. Each rejection has its own code so partners (and tests) can tell them apart even
 * when two share a status.
 */
export const REJECTIONS = {
  'unknown-source': { status: 404, message: 'No webhook source is configured under this name.' },
  'method-not-allowed': { status: 405, message: 'Webhooks are delivered with POST.' },
  'unsupported-media-type': {
    status: 415,
    message: 'Send the body as application/json (or application/fhir+json).',
  },
  'body-too-large': { status: 413, message: 'The body is larger than this source accepts.' },
  'unreadable-body': {
    status: 400,
    message: 'The body could not be read: it ended early or did not match its Content-Length.',
  },
  'missing-headers': {
    status: 400,
    message: 'x-osc-timestamp, x-osc-event-id and x-osc-signature are required.',
  },
  'bad-timestamp': { status: 400, message: 'x-osc-timestamp must be unix seconds.' },
  'bad-event-id': { status: 400, message: 'x-osc-event-id must be 1-200 printable characters.' },
  'stale-timestamp': {
    status: 401,
    message: 'x-osc-timestamp is outside the allowed clock skew; check the sender clock.',
  },
  'bad-signature': {
    status: 401,
    message: 'The signature does not match the source, timestamp, event id and body.',
  },
  'bad-token': { status: 401, message: 'The Authorization bearer token is missing or wrong.' },
  'malformed-json': { status: 400, message: 'The body is not valid JSON.' },
  'rate-limited': { status: 429, message: 'Too many requests for this source; retry after the time given.' },
  'replayed-event': { status: 409, message: 'This event id was already accepted; do not send it again.' },
  'source-not-ready': { status: 503, message: 'This source has no signing secret yet; retry later.' },
  // The secret is saved but the console's OS keychain is locked or unreachable: the operator must act.
  'keychain-unavailable': {
    status: 503,
    message: "The console cannot read this source's signing secret right now; retry later.",
  },
  'store-unavailable': { status: 503, message: 'The event could not be stored; retry later.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type RejectionCode = keyof typeof REJECTIONS;

export interface Rejection {
  readonly code: RejectionCode;
  readonly status: number;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

export function reject(code: RejectionCode, retryAfterSeconds?: number): Rejection {
  return { code, ...REJECTIONS[code], ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
}
