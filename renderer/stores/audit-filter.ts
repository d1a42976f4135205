import { operations, isOperationName } from '../../shared/contract/operations.js';
import type { OperationInput } from '../../shared/contract/operations.js';
import type { AuditEntry, AuditObject, AuditOutcome } from '../../shared/domain/audit.js';

/** What the explorer's filter bar holds; `from`/`to` are ISO instants (or '' for open ends). */
export interface AuditFilter {
  /** An exact action ('connections.setSecret') or a family ('connections'). */
  readonly action: string;
  readonly actor: string;
  /** A target id, or the name of what it names. */
  readonly object: string;
  readonly outcome: AuditOutcome | '';
  readonly from: string;
  readonly to: string;
  readonly text: string;
  /** Page views (successful reads) are left out unless asked for; they stay in the log. */
  readonly showReads: boolean;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = {
  action: '',
  actor: '',
  object: '',
  outcome: '',
  from: '',
  to: '',
  text: '',
  showReads: false,
};

export type AuditSearchInput = Omit<OperationInput<'audit.exportCsv'>, 'afterSeq'>;

/** The search fields of `audit.list` / `audit.exportCsv`: only what is set, trimmed. */
export function filterInput(filter: AuditFilter): AuditSearchInput {
  const action = filter.action.trim();
  const actor = filter.actor.trim().toLowerCase();
  const object = filter.object.trim();
  const text = filter.text.trim();
  return {
    ...(action === '' ? {} : { action }),
    ...(actor === '' ? {} : { actor }),
    ...(object === '' ? {} : { object }),
    ...(filter.outcome === '' ? {} : { outcome: filter.outcome }),
    ...(filter.from === '' ? {} : { from: filter.from }),
    ...(filter.to === '' ? {} : { to: filter.to }),
    ...(text === '' ? {} : { text }),
    hideReads: !filter.showReads,
  };
}

/**
 * A page view: a successful call of an operation the contract declares as a read. Reads are audited
 * too (who looked at what), but an auditor scanning for changes wants them out of the way.
 */
export function isPageView(entry: AuditEntry): boolean {
  return entry.outcome === 'ok' && isOperationName(entry.action) && operations[entry.action].kind === 'read';
}

/** 'exceptions' matches every 'exceptions.*'; anything else only itself (as the server matches). */
export function actionMatches(action: string, asked: string): boolean {
  return asked === '' || action === asked || action.startsWith(`${asked}.`);
}

function includesFolded(haystack: string | null | undefined, needle: string): boolean {
  return haystack !== null && haystack !== undefined && haystack.toLowerCase().includes(needle);
}

/**
 * Whether a live row belongs in the list under the current filter. Live rows come one at a time with
 * no names attached, so names are looked up in the ones pages already brought (`objects`).
 */
export function matchesFilter(
  entry: AuditEntry,
  filter: AuditFilter,
  objects: Readonly<Record<string, AuditObject>> = {},
): boolean {
  const { action, actor, object, text } = filterInput(filter);
  if (!filter.showReads && isPageView(entry)) return false;
  if (action !== undefined && !actionMatches(entry.action, action)) return false;
  if (actor !== undefined && entry.actor.toLowerCase() !== actor) return false;
  if (filter.outcome !== '' && entry.outcome !== filter.outcome) return false;
  const at = Date.parse(entry.at);
  if (filter.from !== '' && at < Date.parse(filter.from)) return false;
  if (filter.to !== '' && at >= Date.parse(filter.to)) return false;
  if (object !== undefined) {
    const folded = object.toLowerCase();
    const named = entry.target === null ? undefined : objects[entry.target]?.name;
    if (entry.target !== object && !includesFolded(named, folded)) return false;
  }
  if (text !== undefined) {
    const folded = text.toLowerCase();
    const fields = [entry.action, entry.actor, entry.target, entry.detail];
    if (!fields.some((field) => includesFolded(field, folded))) return false;
  }
  return true;
}

/** Whether any filter narrows the log (page views hidden is the default, not a narrowing). */
export function isFiltered(filter: AuditFilter): boolean {
  return (
    filter.action.trim() !== '' ||
    filter.actor.trim() !== '' ||
    filter.object.trim() !== '' ||
    filter.outcome !== '' ||
    filter.from !== '' ||
    filter.to !== '' ||
    filter.text.trim() !== ''
  );
}
