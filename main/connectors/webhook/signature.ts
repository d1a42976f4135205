import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_VERSION } from '../../../shared/domain/webhook-signing.js';

/**
 * The console's webhook signature scheme, used both ways (see README.md):
 *   x-osc-timestamp: unix seconds
 *   x-osc-event-id:  the sender's unique event id (replays are refused by it)
 *   x-osc-source:    outbound only: the sending connection (inbound, the source is in the URL)
 *   x-osc-signature: v2=<hex HMAC-SHA256(secret, "v2\n" + source + "\n" + timestamp + "\n" + eventId + "\n" + rawBody)>
 * Every part that decides what the receiver does with a request is signed: a captured request cannot
 * be replayed under a new event id, posted to another source that shares the secret, or re-timed.
 * The parts are joined by newlines, which none of source, timestamp or event id may contain, so no
 * two different requests sign the same text. Several `v2=` values separated by commas are accepted
 * so a partner can sign with the old and the new secret while a rotation is under way.
 */
// The header names and the "how to sign" text live in shared/ (the API answer and the console page
// show them); re-exported so the connectors keep one import.
export {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  SIGNATURE_VERSION,
  SIGNING_INSTRUCTIONS,
  SOURCE_HEADER,
  TIMESTAMP_HEADER,
} from '../../../shared/domain/webhook-signing.js';

export interface SignedParts {
  /** Inbound: the source name of the URL; outbound: the sending connection's id. */
  readonly source: string;
  readonly timestamp: string;
  readonly eventId: string;
  readonly body: Buffer | string;
}

export function computeSignature(secret: string, parts: SignedParts): Buffer {
  return createHmac('sha256', secret)
    .update(`${SIGNATURE_VERSION}\n${parts.source}\n${parts.timestamp}\n${parts.eventId}\n`)
    .update(parts.body)
    .digest();
}

export function signatureHeaderValue(secret: string, parts: SignedParts): string {
  return `${SIGNATURE_VERSION}=${computeSignature(secret, parts).toString('hex')}`;
}

const CANDIDATE = new RegExp(`^\\s*${SIGNATURE_VERSION}=([0-9a-fA-F]{64})\\s*$`);

/** Constant-time check of every v2 value in the header against the expected HMAC. */
export function verifySignature(secret: string, parts: SignedParts, header: string): boolean {
  const expected = computeSignature(secret, parts);
  let matched = false;
  for (const part of header.split(',')) {
    const hex = CANDIDATE.exec(part)?.[1];
    if (hex === undefined) continue;
    // No early exit: every candidate is compared, so timing does not tell which one matched.
    if (timingSafeEqual(Buffer.from(hex, 'hex'), expected)) matched = true;
  }
  return matched;
}

/** Constant-time equality for secrets of any length (compares digests, so length does not leak). */
export function secretsEqual(a: string, b: string): boolean {
  const digest = (value: string): Buffer => createHmac('sha256', 'osc-compare').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
