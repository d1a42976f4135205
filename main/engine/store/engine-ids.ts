import { randomBytes } from 'node:crypto';

/** Opaque ids with a prefix that says what they name (and that the contract's schemas check). */
export function newId(prefix: 'flow' | 'map' | 'run'): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}
