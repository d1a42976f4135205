import type Database from 'better-sqlite3';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { FallbackField } from '../../../shared/domain/fallback.js';
import type { MappedRecord } from '../pipeline/map-page.js';
import type { FailedRecord, RunContext } from '../store/batch-commit.js';
import type { FallbackEntriesRepo, FallbackEntryRow } from './fallback-entries-repo.js';
import { valuesOf } from './fallback-entries-repo.js';
import type { FallbackSettings } from './fallback-form.js';
import type { FallbackMatcher } from './fallback-types.js';
import { comparable, valueAt, type FallbackValues } from './fallback-values.js';

export type MatchTuple = readonly (string | number | null)[];

export interface FallbackMatcherDeps {
  readonly db: Database.Database;
  readonly entries: FallbackEntriesRepo;
  readonly flowId: string;
  readonly settings: FallbackSettings;
  /** Opens (or adds an attempt to) the exception for a differing match; answers its id. */
  readonly recordDiffers: (context: RunContext, failed: FailedRecord, at: string) => string;
  readonly emit: (event: LiveEvent) => void;
  readonly now: () => Date;
}

function fieldsByName(settings: FallbackSettings): Map<string, FallbackField> {
  return new Map(settings.fields.map((field) => [field.name, field]));
}

/** The normalised match-key values of an entry's values (stored as match_json, compared here). */
export function entryMatchTuple(settings: FallbackSettings, values: FallbackValues): MatchTuple {
  const fields = fieldsByName(settings);
  return settings.matchKeys.map((name) => {
    const field = fields.get(name);
    return field === undefined ? null : comparable(field, values[name], true);
  });
}

/** The same values read from a source record at the form fields' paths. */
export function sourceMatchTuple(settings: FallbackSettings, data: unknown): MatchTuple {
  const fields = fieldsByName(settings);
  return settings.matchKeys.map((name) => {
    const field = fields.get(name);
    return field === undefined ? null : comparable(field, valueAt(data, field.path), true);
  });
}

function sameTuple(a: MatchTuple, b: MatchTuple): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function shown(value: unknown): string {
  return value === undefined || value === null ? '(nothing)' : JSON.stringify(value);
}

/**
 * The fields whose values differ between an entry and a source record, with a line per field for
 * finance ("Quantity: entered 2, source 3"). Only the fields the person filled in are compared: a
 * blank optional field was not known at the time and is no difference. Match keys compare as they
 * match (a date and time by day).
 */
export function differencesOf(
  settings: FallbackSettings,
  values: FallbackValues,
  data: unknown,
): { readonly names: string[]; readonly lines: string[] } {
  const names: string[] = [];
  const lines: string[] = [];
  for (const field of settings.fields) {
    if (!Object.hasOwn(values, field.name)) continue;
    const byDay = settings.matchKeys.includes(field.name);
    const source = valueAt(data, field.path);
    if (comparable(field, values[field.name], byDay) !== comparable(field, source, byDay)) {
      names.push(field.name);
      lines.push(`${field.label}: entered ${shown(values[field.name])}, source ${shown(source)}`);
    }
  }
  return { names, lines };
}

const sourceKey = (type: string, sourceId: string): string => `${type}\u0000${sourceId}`;

/** The source id of a fallback entry's own record (fallback-work.ts newProvisionalId). */
const PROVISIONAL_ID = /^fallback-[0-9a-f]{16}$/;

/**
 * The run-side matcher of a flow (FallbackMatcher): each mapped record whose source values equal an
 * open entry's match keys (oldest entry first, one record per entry) is held back, because the entry
 * already stands for it in the target; a differing match opens an exception for review. A record
 * already matched is held back again: the same version changes nothing (a page read twice after a
 * crash), a later version is compared again and flagged when it differs. All in one transaction.
 */
export function createFallbackMatcher(deps: FallbackMatcherDeps): FallbackMatcher {
  const { entries, flowId, settings } = deps;
  return (records, context) => {
    const at = deps.now().toISOString();
    const opened = new Set<string>();
    const touched = new Set<string>();

    const compare = (
      row: FallbackEntryRow,
      record: MappedRecord,
      data: unknown,
      later: boolean,
    ): FallbackEntryRow => {
      const values = valuesOf(row);
      const { names, lines } = differencesOf(settings, values, data);
      let exceptionId: string | null = null;
      if (names.length > 0) {
        const message =
          `Entered by hand during an outage (fallback entry ${row.id} by ${row.entered_by} at ${row.entered_at}: ` +
          `"${row.reason}") and written under ${row.provisional_key}. The source system's own record ` +
          `${record.source.sourceId}${later ? ' (a later version)' : ''} is the same event but differs: ` +
          `${lines.join('; ')}. The source record was not written again: check which values are right ` +
          `and correct the target record ${row.provisional_key} if needed.`;
        exceptionId = deps.recordDiffers(
          context,
          {
            source: record.source,
            sourceJson: record.sourceJson,
            sourceHash: record.sourceHash,
            stage: 'load',
            key: row.provisional_key,
            payloadHash: record.payloadHash,
            payloadJson: record.payloadJson,
            error: { class: 'permanent', code: 'fallback.differs', message },
          },
          at,
        );
        opened.add(exceptionId);
      }
      const state = names.length > 0 ? 'differs' : later ? row.state : 'matched';
      const differences =
        names.length > 0 ? names : later ? (JSON.parse(row.differences_json) as string[]) : [];
      entries.recordMatch({
        id: row.id,
        state,
        source: record.source,
        sourceHash: record.sourceHash,
        at,
        differences,
        exceptionId,
      });
      touched.add(row.id);
      return {
        ...row,
        state,
        matched_source_type: record.source.type,
        matched_source_id: record.source.sourceId,
        matched_source_hash: record.sourceHash,
        differences_json: JSON.stringify(differences),
        exception_id: exceptionId ?? row.exception_id,
      };
    };

    // IMMEDIATE: it reads the entries, then writes the matches. A deferred transaction starts as a
    // reader, and a reader whose snapshot another connection (the console's main thread) has since
    // written past cannot become a writer: SQLITE_BUSY at once, busy_timeout never waits, the run
    // fails "database is locked". Seen in fallback-late-match.test.ts, about one run in two.
    const match = deps.db.transaction((): MappedRecord[] => {
      const matched = new Map(
        entries
          .matchedTo(
            flowId,
            records.map((record) => record.source),
          )
          .map((row) => [sourceKey(row.matched_source_type ?? '', row.matched_source_id ?? ''), row]),
      );
      // Read once per page; with no open entry left (the usual case long after an outage) a record
      // costs only the lookup above, its JSON is not even parsed.
      const candidates = entries
        .candidates(flowId)
        .map((row) => ({ row, tuple: entryMatchTuple(settings, valuesOf(row)) }));
      const toWrite: MappedRecord[] = [];
      for (const record of records) {
        const key = sourceKey(record.source.type, record.source.sourceId);
        const earlier = matched.get(key);
        if (earlier !== undefined) {
          if (earlier.matched_source_hash !== record.sourceHash)
            matched.set(key, compare(earlier, record, JSON.parse(record.sourceJson), true));
          continue;
        }
        // An entry's own write (sent from the outbox) stands for itself, never for a source event.
        if (candidates.length === 0 || PROVISIONAL_ID.test(record.source.sourceId)) {
          toWrite.push(record);
          continue;
        }
        const data: unknown = JSON.parse(record.sourceJson);
        const tuple = sourceMatchTuple(settings, data);
        const index =
          tuple.length === 0 || tuple.includes(null)
            ? -1
            : candidates.findIndex((candidate) => sameTuple(candidate.tuple, tuple));
        const candidate = index === -1 ? undefined : candidates.splice(index, 1)[0];
        if (candidate === undefined) {
          toWrite.push(record);
          continue;
        }
        matched.set(key, compare(candidate.row, record, data, false));
      }
      return toWrite;
    });
    const kept = match.immediate();

    if (touched.size > 0)
      deps.emit({ type: 'outages.changed', change: 'fallback', connectionId: null, flowId });
    if (opened.size > 0) deps.emit({ type: 'exceptions.changed', flowId, ids: [...opened], state: 'open' });
    return kept;
  };
}
