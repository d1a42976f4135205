import { createHash, randomUUID } from 'node:crypto';
import { reject, type Rejection } from './inbound-rejection.js';
import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  secretsEqual,
  verifySignature,
} from './signature.js';

/**
 * The checks an inbound request goes through once its body is read, as pure functions (no I/O), in
 * this order: headers present → timestamp readable → within the clock-skew window → signature (over
 * source, timestamp, event id and body) → JSON. The skew check comes before the signature so an old captured request is refused as stale
 * even when it was validly signed; replay (by event id) and rate limits need state and are the
 * listener's job.
 */
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface AcceptedEvent {
  readonly eventId: string;
  readonly eventType: string;
  /** The sender's timestamp (unix seconds), or null when the channel has none. */
  readonly signedAt: number | null;
  readonly json: unknown;
}

export type CheckResult =
  | { readonly ok: true; readonly event: AcceptedEvent }
  | { readonly ok: false; readonly rejection: Rejection };

export interface CheckInput {
  /** The source name the request was posted to (/hooks/<source>): signed, so it cannot be moved. */
  readonly source: string;
  readonly headers: Headers;
  readonly body: Buffer;
  readonly secret: string;
  readonly clockSkewSeconds: number;
  readonly nowMs: number;
}

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};
const refuse = (rejection: Rejection): CheckResult => ({ ok: false, rejection });

/** A partner event signed with the x-osc-* scheme. */
export function checkSignedEvent(input: CheckInput): CheckResult {
  const timestamp = header(input.headers, TIMESTAMP_HEADER);
  const eventId = header(input.headers, EVENT_ID_HEADER);
  const signature = header(input.headers, SIGNATURE_HEADER);
  if (timestamp === undefined || eventId === undefined || signature === undefined)
    return refuse(reject('missing-headers'));
  if (!/^\d{1,12}$/.test(timestamp)) return refuse(reject('bad-timestamp'));
  if (!/^[\x21-\x7e]{1,200}$/.test(eventId)) return refuse(reject('bad-event-id'));
  const signedAt = Number(timestamp);
  if (Math.abs(input.nowMs / 1000 - signedAt) > input.clockSkewSeconds)
    return refuse(reject('stale-timestamp'));
  const parts = { source: input.source, timestamp, eventId, body: input.body };
  if (!verifySignature(input.secret, parts, signature)) return refuse(reject('bad-signature'));
  const json = parseJson(input.body);
  if (json === undefined) return refuse(reject('malformed-json'));
  const typeHeader = header(input.headers, EVENT_TYPE_HEADER);
  const bodyType = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  const eventType = typeHeader ?? (typeof bodyType === 'string' ? bodyType : 'webhook');
  return { ok: true, event: { eventId, eventType: eventType.slice(0, 200), signedAt, json } };
}

/**
 * A FHIR R4 rest-hook notification. Real FHIR servers cannot compute a per-request HMAC; they send
 * the static lines of `Subscription.channel.header`, so the secret arrives as `Authorization: Bearer`.
 * A server that can sign (x-osc-signature present) gets the full signed check instead. The event id
 * is the resource version (Type/id/_history/n): a second notification for the same version is a
 * replay. A body-less notification is a ping ("something changed, poll"): it carries no data, so it
 * gets a fresh id and cannot be replayed into anything.
 */
export function checkFhirNotification(input: CheckInput): CheckResult {
  if (header(input.headers, SIGNATURE_HEADER) !== undefined) return checkSignedEvent(input);
  const authorization = header(input.headers, 'authorization') ?? '';
  const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim() ?? '';
  if (!secretsEqual(token, input.secret) || token === '') return refuse(reject('bad-token'));
  if (input.body.length === 0) {
    return {
      ok: true,
      event: { eventId: `fhir-ping:${randomUUID()}`, eventType: 'fhir.ping', signedAt: null, json: null },
    };
  }
  const json = parseJson(input.body);
  if (typeof json !== 'object' || json === null) return refuse(reject('malformed-json'));
  const resource = json as { resourceType?: unknown; id?: unknown; meta?: { versionId?: unknown } };
  if (typeof resource.resourceType !== 'string') {
    return refuse(reject('malformed-json'));
  }
  const { resourceType, id } = resource;
  const version = resource.meta?.versionId;
  const eventId =
    typeof id === 'string' && (typeof version === 'string' || typeof version === 'number')
      ? `fhir:${resourceType}/${id}/_history/${String(version)}`
      : `fhir:sha256:${createHash('sha256').update(input.body).digest('hex')}`;
  return { ok: true, event: { eventId, eventType: `fhir.${resourceType}`, signedAt: null, json } };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
