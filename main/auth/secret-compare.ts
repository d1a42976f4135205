import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret a client sent equals the one the server holds, compared in constant time: with
 * `===` the time taken grows with the number of leading characters that match, which lets a patient
 * caller guess a token one character at a time. Only the length may short-cut the comparison: the
 * server's tokens have a fixed, public length, so it gives nothing away.
 */
export function sameSecret(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string' || expected.length === 0) return false;
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
