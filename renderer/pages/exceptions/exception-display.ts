import type { ExceptionClass, ExceptionState, ExceptionSummary } from '../../../shared/domain/exception.js';
import type { AgeChoice } from '../../stores/exceptions-store.js';

export const CLASS_LABELS: Readonly<Record<ExceptionClass, string>> = {
  transient: 'Transient',
  data: 'Data',
  reference: 'Reference',
  configuration: 'Configuration',
  conflict: 'Conflict',
  authorization: 'Authorization',
};

export const STATE_LABELS: Readonly<Record<ExceptionState, string>> = {
  open: 'Open',
  retrying: 'Retrying',
  resolved: 'Resolved',
  ignored: 'Ignored',
  dead: 'Dead',
};

export const AGE_LABELS: Readonly<Record<AgeChoice, string>> = {
  any: 'Any age',
  'last-day': 'Last 24 hours',
  'older-than-day': 'Older than a day',
  'older-than-week': 'Older than a week',
};

export function stateTone(state: ExceptionState): 'passed' | 'failed' | 'warning' | 'neutral' {
  if (state === 'resolved') return 'passed';
  if (state === 'dead') return 'failed';
  if (state === 'open' || state === 'retrying') return 'warning';
  return 'neutral';
}

function fieldPhrase(field: string): string {
  return field === '' ? '' : ` (field “${field}”)`;
}

/**
 * The target's error in words a finance user acts on: what is wrong and what fixes it. The target's
 * own text follows it in the pane, so nothing is hidden behind the explanation.
 */
export function plainError(
  summary: Pick<ExceptionSummary, 'class' | 'errorCode' | 'errorField' | 'errorMessage'>,
): string {
  const field = fieldPhrase(summary.errorField);
  if (summary.errorCode === 'mapping.unmapped-code')
    return `The mapping has no translation for this record's code${field}. Add the code to the value map, then retry.`;
  if (summary.errorCode.startsWith('rule.'))
    return `The record breaks a validation rule${field}: ${summary.errorMessage}`;
  switch (summary.class) {
    case 'transient':
      return 'The target could not be reached for a moment; the console retries this record by itself.';
    case 'reference':
      return `The record points at something the target does not have yet${field}. Create it there, then retry.`;
    case 'configuration':
      return `The flow's mapping or connection names something the target does not have${field}. IT staff fix the mapping.`;
    case 'conflict':
      return `The target's record changed in a way that conflicts with this one${field}. Settle it in the target, then retry.`;
    case 'authorization':
      return `The integration user may not write this record${field}. An Odoo administrator grants the right.`;
    case 'data':
      return `The target refused the record's data${field}. Correct the record at its source, then retry.`;
  }
}

/** The key a payload line must have to be highlighted: the last part of a dotted or indexed path. */
export function highlightKey(errorField: string): string | null {
  const parts = errorField.split(/[.[\]/]+/).filter((part) => part !== '' && !/^\d+$/.test(part));
  return parts.at(-1) ?? null;
}

export interface PayloadLine {
  readonly text: string;
  readonly highlighted: boolean;
}

/** A payload as indented JSON lines, the lines that hold the failing field marked. */
export function payloadLines(payload: unknown, errorField: string): readonly PayloadLine[] {
  if (payload === null || payload === undefined) return [];
  const key = highlightKey(errorField);
  const marker = key === null ? null : `${JSON.stringify(key)}:`;
  return JSON.stringify(payload, null, 2)
    .split('\n')
    .map((text) => ({ text, highlighted: marker !== null && text.trimStart().startsWith(marker) }));
}

/** Where the lineage page looks this record up: what it became, across runs. */
export function lineageHref(summary: Pick<ExceptionSummary, 'sourceId' | 'sourceType'>): string {
  const query = new URLSearchParams({ source: summary.sourceId, type: summary.sourceType });
  return `#/lineage?${query.toString()}`;
}
