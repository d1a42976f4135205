import type { AuditEntry, AuditPage } from '../../shared/domain/audit.js';

export interface LoadedAudit {
  readonly entries: readonly AuditEntry[];
  readonly nextBeforeSeq: number | null;
}

/** Newest first, each seq once: a live row and a fetched page may both hold the same row. */
function newestFirst(entries: Iterable<AuditEntry>): AuditEntry[] {
  const bySeq = new Map<number, AuditEntry>();
  for (const entry of entries) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

/**
 * The newest page, as the start of a fresh list, keeping live rows newer than the page: the row
 * recording this very read is appended after the page was read, and its event can beat the response.
 */
export function fromPage(page: AuditPage, live: readonly AuditEntry[] = []): LoadedAudit {
  const newest = page.entries.reduce((max, entry) => Math.max(max, entry.seq), 0);
  const newer = live.filter((entry) => entry.seq > newest);
  return { entries: newestFirst([...newer, ...page.entries]), nextBeforeSeq: page.nextBeforeSeq };
}

/** Puts a row pushed by a live event on top (once, even if the event arrives twice). */
export function prependLive(loaded: LoadedAudit, entry: AuditEntry): LoadedAudit {
  return { entries: newestFirst([entry, ...loaded.entries]), nextBeforeSeq: loaded.nextBeforeSeq };
}

/** Adds an older page below what is shown; paging continues from that page. */
export function appendOlder(loaded: LoadedAudit, page: AuditPage): LoadedAudit {
  return { entries: newestFirst([...loaded.entries, ...page.entries]), nextBeforeSeq: page.nextBeforeSeq };
}
