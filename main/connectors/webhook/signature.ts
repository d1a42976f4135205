import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The console's webhook signature scheme, used both ways (see README.md):
 *   x-osc-timestamp: unix seconds
 *   x-osc-event-id:  the sender's unique event id (replays are refused by it)
 *   x-osc-signature: v1=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 * Several `v1=` values separated by commas are accepted so a partner can sign with the old and the
 * new secret while a rotation is under way.
 */
export const TIMESTAMP_HEADER = 'x-osc-timestamp';
export const EVENT_ID_HEADER = 'x-osc-event-id';
export const EVENT_TYPE_HEADER = 'x-osc-event-type';
export const SIGNATURE_HEADER = 'x-osc-signature';

export function computeSignature(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

export function signatureHeaderValue(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v1=${computeSignature(secret, timestamp, rawBody).toString('hex')}`;
}

/** Constant-time check of every v1 value in the header against the expected HMAC. */
export function verifySignature(secret: string, timestamp: string, rawBody: Buffer, header: string): boolean {
  const expected = computeSignature(secret, timestamp, rawBody);
  let matched = false;
  for (const part of header.split(',')) {
    const hex = /^\s*v1=([0-9a-fA-F]{64})\s*$/.exec(part)?.[1];
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
