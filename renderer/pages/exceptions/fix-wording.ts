import type { ExceptionState, ReplayStarted } from '../../../shared/domain/exception.js';
import type { ExceptionFix } from '../../../shared/domain/exception-fix.js';

/** Counts as a finance user reads them: 10,000 (the same on every machine, like the tests). */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

function plural(value: number, one: string, many: string): string {
  return `${count(value)} ${value === 1 ? one : many}`;
}

/** A fix's state in plain words: what it waits for, or how far its replay is. */
export function fixStateText(fix: ExceptionFix, now: Date = new Date()): string {
  const version = fix.mappingVersion === null ? 'the new mapping version' : `mapping v${fix.mappingVersion}`;
  const { total, resolved, failed } = fix.progress;
  switch (fix.state) {
    case 'awaiting-approval':
      return `Waiting for an administrator to approve ${version}`;
    case 'awaiting-activation':
      return `Waiting for an administrator to activate ${version}`;
    case 'waiting': {
      const next = nextRetryText(fix.nextAttemptAt, now);
      return fix.kind === 'await-reference'
        ? `Waiting for the referenced record to exist: ${plural(fix.progress.pending, 'record', 'records')} will be retried then${next === null ? '' : ` (${next})`}`
        : `Waiting to replay ${plural(total, 'record', 'records')}`;
    }
    case 'replaying':
      return `Replaying ${count(resolved + failed)} of ${count(total)}…`;
    case 'done':
      return `Done: ${count(resolved)} resolved${failed === 0 ? '' : `, ${count(failed)} still failing`}`;
    case 'superseded':
      return 'Replaced by a newer fix';
  }
}

/** Whether a fix still has work ahead (its progress bar moves). */
export function fixIsActive(fix: ExceptionFix): boolean {
  return fix.state !== 'done' && fix.state !== 'superseded';
}

/** What the fix does, as its heading. */
export function fixTitle(fix: ExceptionFix): string {
  if (fix.kind === 'map-code')
    return `Map code “${fix.code ?? '?'}” to “${fix.mappedTo ?? '?'}” in value map “${fix.valueMap ?? '?'}”`;
  return 'Retry when the referenced record exists';
}

/** The distinct target values a value map already holds: suggestions for the new entry. */
export function valueSuggestions(entries: Readonly<Record<string, string>> | undefined): string[] {
  return [...new Set(Object.values(entries ?? {}))].sort((a, b) => a.localeCompare(b));
}

/** "next automatic retry in 4 min" for a retrying exception; "is due now" once the instant passed. */
export function nextRetryText(nextAttemptAt: string | null, now: Date = new Date()): string | null {
  if (nextAttemptAt === null) return null;
  const at = Date.parse(nextAttemptAt);
  if (Number.isNaN(at)) return null;
  const seconds = Math.round((at - now.getTime()) / 1000);
  if (seconds <= 30) return 'next automatic retry is due now';
  if (seconds < 90) return 'next automatic retry in 1 min';
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `next automatic retry in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  return `next automatic retry in ${hours} h`;
}

/** The attempts line: how often it failed, and for a dead one that the console stopped retrying. */
export function attemptsText(state: ExceptionState, attempts: number): string {
  const tried = `${plural(attempts, 'attempt', 'attempts')} so far`;
  if (state === 'dead')
    return `Dead after ${plural(attempts, 'attempt', 'attempts')}: the console no longer retries it by itself. Retry it by hand once the cause is fixed.`;
  return tried;
}

/** A retry's answer: the replay runs queued and what was skipped. */
export function retryAnswerText(started: ReplayStarted): string {
  const sent = started.runs.reduce((sum, run) => sum + run.count, 0);
  const skipped =
    started.skipped === 0
      ? ''
      : `; ${plural(started.skipped, 'exception', 'exceptions')} skipped (settled already or without a stored record)`;
  if (started.runs.length === 0) return `Nothing was retried${skipped === '' ? '' : skipped}.`;
  return `Queued ${plural(started.runs.length, 'replay run', 'replay runs')} for ${plural(sent, 'exception', 'exceptions')}${skipped}.`;
}

/** A re-check of a reconciliation difference: whether this one is settled, and what the flow has. */
export function recheckAnswerText(differencesFound: number, state: ExceptionState | null): string {
  const found = `the reconciliation found ${plural(differencesFound, 'difference', 'differences')}`;
  if (state === 'resolved') return `Checked again: this difference is gone (resolved); ${found}.`;
  if (state === null) return `Checked again: ${found}.`;
  return `Checked again: this difference is still there; ${found}. Correct it in Odoo or the source, then check again.`;
}
