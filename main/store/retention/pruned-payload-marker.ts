import { createHash } from 'node:crypto';

/**
 * What a pruned payload column holds instead of the payload: a small JSON object that says when and
 * why the payload went and keeps its sha256 and length, so a reader (the console's pages, an auditor
 * comparing with a copy) can still match it. Its first key is the clipped stand-in's
 * (main/engine/store/stored-payload.ts), so every reader that already refuses to send a clipped
 * stand-in as a record (replays, `keptPayloadSql`) refuses a pruned one too, without a change.
 */
export const PRUNED_PREFIX = '{"osc:clipped":true,"osc:pruned":';

export interface PrunedPayloadMarker {
  readonly 'osc:clipped': true;
  /** The line the console shows in place of the payload. */
  readonly 'osc:pruned': string;
  readonly sha256: string;
  readonly chars: number;
}

export function prunedPayloadMarker(payload: string, at: Date): string {
  const marker: PrunedPayloadMarker = {
    'osc:clipped': true,
    'osc:pruned': `pruned on ${at.toISOString().slice(0, 10)} by retention; hash kept`,
    sha256: createHash('sha256').update(payload, 'utf8').digest('hex'),
    chars: payload.length,
  };
  return JSON.stringify(marker);
}

export function isPrunedPayload(text: string | null): boolean {
  return text !== null && text.startsWith(PRUNED_PREFIX);
}

/** SQL that holds when `column` has a payload retention may still prune (not NULL, not pruned yet). */
export function prunableSql(column: string): string {
  return `(${column} IS NOT NULL AND substr(${column}, 1, ${PRUNED_PREFIX.length}) <> '${PRUNED_PREFIX}')`;
}
