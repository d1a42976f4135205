/**
 * How much of a record's payload the store keeps. A run's failure history (`record_failures`) is
 * read by people, so a quarter megabyte is plenty; an exception's source payload is what a retry
 * sends again, so it is kept whole up to a much larger size (big FHIR resources with attachments
 * exceed 256 KiB). Beyond its limit a payload is replaced by a small stand-in holding its size and
 * its first characters, marked so that replays never send it as if it were the record.
 */
export const MAX_FAILURE_PAYLOAD_CHARS = 256 * 1024;
export const MAX_REPLAYABLE_PAYLOAD_CHARS = 4 * 1024 * 1024;

/** The stand-in's first key: no source record's JSON starts with it. */
const CLIPPED_KEY = 'osc:clipped';
const CLIPPED_PREFIX = `{"${CLIPPED_KEY}":true`;

export function clipPayload(json: string, maxChars: number): string {
  if (json.length <= maxChars) return json;
  return JSON.stringify({ [CLIPPED_KEY]: true, chars: json.length, head: json.slice(0, 4096) });
}

export function isClippedPayload(json: string): boolean {
  return json.startsWith(CLIPPED_PREFIX);
}

/** SQL that holds when the payload column's value is a kept record, not a clipped stand-in. */
export function keptPayloadSql(column: string): string {
  return `substr(${column}, 1, ${CLIPPED_PREFIX.length}) <> '${CLIPPED_PREFIX}'`;
}
