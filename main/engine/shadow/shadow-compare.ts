import type { ShadowFieldDiff } from '../../../shared/domain/shadow.js';
import type { SourceRecord, TargetWrite } from '../../connectors/types.js';
import type { DryRunVerdict } from '../../connectors/odoo/dry-run-load.js';
import type { CompiledMapping } from '../mapping/compile-mapping.js';
import { mapRecords, type MappedRecord } from '../pipeline/map-page.js';
import type { FailedRecord } from '../store/batch-commit.js';
import { diffPayloads, topField, withOdooValues } from './field-diff.js';
import type { NewShadowRecord } from './shadow-store.js';

/** The target's side of a shadow run: a check that keeps nothing, and a read of current values. */
export interface TargetChecker {
  check(writes: readonly TargetWrite[]): Promise<DryRunVerdict[]>;
  read(ids: readonly number[], fields: readonly string[]): Promise<Record<string, unknown>[]>;
}

export interface CompareInput {
  readonly records: readonly SourceRecord[];
  readonly tried: CompiledMapping;
  /** Null when the mapping has no active version (a new flow): no comparison, verdicts only. */
  readonly active: CompiledMapping | null;
  readonly knownTargetIds: (keys: readonly string[]) => ReadonlyMap<string, string>;
  /** Null when the target cannot check writes without keeping them. */
  readonly checker: TargetChecker | null;
}

type Mapped = { ok: true; record: MappedRecord } | { ok: false; failure: FailedRecord };

async function mapOne(record: SourceRecord, mapping: CompiledMapping): Promise<Mapped> {
  const { good, failed } = await mapRecords([record], { mapping, orderingKey: null });
  const first = good[0];
  if (first !== undefined) return { ok: true, record: first };
  return { ok: false, failure: failed[0] as FailedRecord };
}

function diffsOf(tried: Mapped, active: Mapped | null): ShadowFieldDiff[] | null {
  if (active === null) return null;
  const triedPayload = tried.ok ? tried.record.payload : {};
  const activePayload = active.ok ? active.record.payload : {};
  return diffPayloads(activePayload, triedPayload);
}

/** One `read` per this many known ids. */
const READ_BATCH = 200;

/** Reads Odoo's current values of the plain top-level fields that differ, for already-written records. */
async function currentValues(
  checker: TargetChecker,
  wanted: ReadonlyMap<number, ReadonlySet<string>>,
): Promise<Map<number, Record<string, unknown>>> {
  const found = new Map<number, Record<string, unknown>>();
  const ids = [...wanted.keys()];
  for (let start = 0; start < ids.length; start += READ_BATCH) {
    const batch = ids.slice(start, start + READ_BATCH);
    const fields = new Set<string>();
    for (const id of batch) for (const field of wanted.get(id) ?? []) fields.add(field);
    const rows = await checker.read(batch, [...fields]);
    for (const row of rows) if (typeof row.id === 'number') found.set(row.id, row);
  }
  return found;
}

/**
 * Per source record: mapped with the tried and the active version, compared field by field, the
 * tried payload checked by the target (in batches, nothing kept), and Odoo's current value of each
 * differing plain field read for records the flow wrote before.
 */
export async function compareRecords(input: CompareInput): Promise<NewShadowRecord[]> {
  const mapped: { record: SourceRecord; tried: Mapped; active: Mapped | null }[] = [];
  for (const record of input.records) {
    mapped.push({
      record,
      tried: await mapOne(record, input.tried),
      active: input.active === null ? null : await mapOne(record, input.active),
    });
  }
  const keyOf = (entry: (typeof mapped)[number]): string | null => {
    if (entry.tried.ok) return entry.tried.record.key;
    if (entry.active?.ok === true) return entry.active.record.key;
    return entry.tried.failure.key;
  };
  const known = input.knownTargetIds(mapped.map(keyOf).filter((key): key is string => key !== null));

  // The target's verdicts on every tried payload that mapped.
  const verdicts = new Map<number, DryRunVerdict>();
  if (input.checker !== null) {
    const toCheck = mapped.flatMap((entry, index) =>
      entry.tried.ok
        ? [{ index, write: { key: entry.tried.record.key, payload: entry.tried.record.payload } }]
        : [],
    );
    const answers = await input.checker.check(toCheck.map((item) => item.write));
    toCheck.forEach((item, position) => {
      const answer = answers[position];
      if (answer !== undefined) verdicts.set(item.index, answer);
    });
  }

  const diffs = mapped.map((entry) => diffsOf(entry.tried, entry.active));
  const wanted = new Map<number, Set<string>>();
  mapped.forEach((entry, index) => {
    const key = keyOf(entry);
    const id = Number(key === null ? NaN : known.get(key));
    const plain = (diffs[index] ?? [])
      .map((diff) => diff.path)
      .filter((path) => topField(path) === path && !path.includes('/'));
    if (!Number.isSafeInteger(id) || id <= 0 || plain.length === 0) return;
    const fields = wanted.get(id) ?? new Set<string>();
    for (const field of plain) fields.add(field);
    wanted.set(id, fields);
  });
  const current =
    input.checker === null || wanted.size === 0
      ? new Map<number, Record<string, unknown>>()
      : await currentValues(input.checker, wanted);

  return mapped.map((entry, index): NewShadowRecord => {
    const key = keyOf(entry);
    const targetId = key === null ? null : (known.get(key) ?? null);
    const recordDiffs = diffs[index] ?? null;
    const withOdoo =
      recordDiffs === null
        ? null
        : withOdooValues(recordDiffs, targetId === null ? undefined : current.get(Number(targetId)));
    const base = {
      sourceId: entry.record.sourceId,
      sourceVersion: entry.record.version,
      key,
      targetId,
      activeMapped: entry.active === null ? null : entry.active.ok,
      diffs: withOdoo,
    };
    if (!entry.tried.ok) return { ...base, verdict: 'unmapped', message: entry.tried.failure.error.message };
    const verdict = verdicts.get(index);
    if (input.checker === null || verdict === undefined)
      return { ...base, verdict: 'unchecked', message: null };
    return verdict.ok
      ? { ...base, verdict: 'accepted', message: null }
      : { ...base, verdict: 'refused', message: verdict.error.message };
  });
}
