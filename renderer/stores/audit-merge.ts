import type { AuditEntry, AuditExplorerPage, AuditObject } from '../../shared/domain/audit.js';

export interface LoadedAudit {
  readonly entries: readonly AuditEntry[];
  readonly nextBeforeSeq: number | null;
  /** Names of the ids the loaded rows mention, merged over every page. */
  readonly objects: Readonly<Record<string, AuditObject>>;
  /**
   * Set when the last page came back short with more log below it: the server searched a bounded
   * window down to this row, and older rows may still match ("Search older rows").
   */
  readonly searchedDownToSeq: number | null;
}

/** Newest first, each seq once: a live row and a fetched page may both hold the same row. */
function newestFirst(entries: Iterable<AuditEntry>): AuditEntry[] {
  const bySeq = new Map<number, AuditEntry>();
  for (const entry of entries) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

/** The window bound to show, or null when the page was full or the log ends here. */
function windowBound(page: AuditExplorerPage, asked: number): number | null {
  return page.entries.length < asked && page.nextBeforeSeq !== null ? page.searchedDownToSeq : null;
}

/**
 * The newest page, as the start of a fresh list, keeping live rows newer than the page: the row
 * recording this very read is appended after the page was read, and its event can beat the response.
 */
export function fromPage(
  page: AuditExplorerPage,
  asked: number,
  live: readonly AuditEntry[] = [],
): LoadedAudit {
  const newest = page.entries.reduce((max, entry) => Math.max(max, entry.seq), 0);
  const newer = live.filter((entry) => entry.seq > newest);
  return {
    entries: newestFirst([...newer, ...page.entries]),
    nextBeforeSeq: page.nextBeforeSeq,
    objects: page.objects,
    searchedDownToSeq: windowBound(page, asked),
  };
}

/** Puts a row pushed by a live event on top (once, even if the event arrives twice). */
export function prependLive(loaded: LoadedAudit, entry: AuditEntry): LoadedAudit {
  return { ...loaded, entries: newestFirst([entry, ...loaded.entries]) };
}

/** Adds an older page below what is shown; paging (or searching) continues from that page. */
export function appendOlder(loaded: LoadedAudit, page: AuditExplorerPage, asked: number): LoadedAudit {
  return {
    entries: newestFirst([...loaded.entries, ...page.entries]),
    nextBeforeSeq: page.nextBeforeSeq,
    objects: { ...loaded.objects, ...page.objects },
    searchedDownToSeq: windowBound(page, asked),
  };
}
