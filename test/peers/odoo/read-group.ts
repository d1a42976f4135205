import type { Database } from './database.js';
import type { ModelDef, StoredRecord } from './model-types.js';
import { valueError } from './odoo-error.js';
import { readValue } from './field-values.js';

/**
 * Server-side grouping as the real servers answer it (recorded against Odoo 17.0 and 19.0 on the
 * test stage, issue 12):
 *
 * - `read_group(domain, fields, groupby, offset, limit, orderby, lazy)` (17 and 19): one dict per
 *   group, the group's label under `field:granularity` ("January 2026", "05 Jan 2026"), the sums
 *   under the bare field name, `__count` (lazy=False; lazy names it `<field>_count`), `__domain`
 *   and `__range: {"field:granularity": {"from": "2026-01-01", "to": "2026-02-01"}}`.
 * - `formatted_read_group(domain, groupby, aggregates, having, offset, limit, order)` (19 only):
 *   the group value as `[start, label]`, aggregates under their spec (`amount_untaxed:sum`,
 *   `__count` only when asked), `__extra_domain`; an aggregate without a method is refused
 *   ("Aggregate method is mandatory for 'amount_untaxed'").
 * - An unknown field: "Invalid field 'nope' on model 'account.move' for 'nope:sum'." Groups come in
 *   ascending order of the grouped value; records without a date fall in one group valued false.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const GRANULARITIES = ['day', 'month', 'year'] as const;
type Granularity = (typeof GRANULARITIES)[number];

interface GroupSpec {
  readonly spec: string;
  readonly field: string;
  readonly granularity: Granularity | null;
  readonly datetime: boolean;
}

interface Aggregate {
  readonly spec: string;
  readonly field: string;
  readonly method: 'sum' | 'max' | 'min' | 'count';
}

interface Group {
  readonly key: string | false;
  readonly records: StoredRecord[];
}

function groupSpec(model: ModelDef, spec: unknown): GroupSpec {
  const text = String(spec);
  const [field = '', granularity] = text.split(':');
  const definition = model.fields[field];
  const magic = field === 'create_date' || field === 'write_date';
  if (definition === undefined && !magic)
    throw valueError(`Invalid field '${field}' on model '${model.name}'`);
  const type = magic ? 'datetime' : (definition?.type ?? 'char');
  const dated = type === 'date' || type === 'datetime';
  if (granularity !== undefined && !(GRANULARITIES as readonly string[]).includes(granularity))
    throw valueError(`Granularity '${granularity}' is not supported by this emulator`);
  return {
    spec: text,
    field,
    granularity: dated ? ((granularity as Granularity | undefined) ?? 'month') : null,
    datetime: type === 'datetime',
  };
}

function aggregate(model: ModelDef, spec: unknown, requireMethod: boolean): Aggregate | null {
  const text = String(spec);
  if (text === '__count') return null;
  const [field = '', method] = text.split(':');
  if (model.fields[field] === undefined && !['id', 'write_date', 'create_date'].includes(field))
    throw valueError(`Invalid field '${field}' on model '${model.name}' for '${text}'.`);
  if (method === undefined && requireMethod) throw valueError(`Aggregate method is mandatory for '${field}'`);
  const chosen = method ?? 'sum';
  if (chosen !== 'sum' && chosen !== 'max' && chosen !== 'min' && chosen !== 'count')
    throw valueError(`Invalid aggregation function ${chosen}.`);
  return { spec: text, field, method: chosen };
}

/** The period a stored date or datetime falls in, as its first day (UTC: no tz in the context). */
function periodStart(value: unknown, granularity: Granularity): string | false {
  if (typeof value !== 'string' || value.length < 10) return false;
  const day = value.slice(0, 10);
  if (granularity === 'day') return day;
  if (granularity === 'month') return `${day.slice(0, 7)}-01`;
  return `${day.slice(0, 4)}-01-01`;
}

function periodEnd(start: string, granularity: Granularity): string {
  const date = new Date(`${start}T00:00:00Z`);
  if (granularity === 'day') date.setUTCDate(date.getUTCDate() + 1);
  else if (granularity === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toISOString().slice(0, 10);
}

function label(start: string, granularity: Granularity): string {
  const [year, month = '01', day = '01'] = start.split('-');
  const monthName = MONTHS[Number(month) - 1] ?? '';
  if (granularity === 'day') return `${day} ${monthName.slice(0, 3)} ${year}`;
  if (granularity === 'month') return `${monthName} ${year}`;
  return String(year);
}

function groupsOf(db: Database, model: ModelDef, ids: readonly number[], by: GroupSpec): Group[] {
  const groups = new Map<string | false, StoredRecord[]>();
  for (const id of ids) {
    const record = db.record(model.name, id);
    if (record === undefined) continue;
    const raw = readValue(db, model, record, by.field);
    const key =
      by.granularity === null
        ? Array.isArray(raw)
          ? String(raw[0])
          : raw === false
            ? false
            : String(raw)
        : periodStart(raw, by.granularity);
    const list = groups.get(key) ?? [];
    list.push(record);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .map(([key, records]) => ({ key, records }))
    .sort((a, b) =>
      a.key === false ? 1 : b.key === false ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
}

function aggregated(
  db: Database,
  model: ModelDef,
  records: readonly StoredRecord[],
  agg: Aggregate,
): number | string | false {
  if (agg.method === 'count') return records.length;
  const field = model.fields[agg.field];
  if (
    field?.type === 'datetime' ||
    field?.type === 'date' ||
    agg.field === 'write_date' ||
    agg.field === 'create_date'
  ) {
    // Odoo's max/min of a date or datetime: the text of the latest/earliest, false without any.
    const texts = records
      .map((record) => readValue(db, model, record, agg.field))
      .filter((value): value is string => typeof value === 'string')
      .sort();
    return (agg.method === 'min' ? texts[0] : texts.at(-1)) ?? false;
  }
  const values = records.map((record) => {
    const value = agg.field === 'id' ? record.id : readValue(db, model, record, agg.field);
    return typeof value === 'number' ? value : 0;
  });
  if (agg.method === 'max') return values.length === 0 ? 0 : Math.max(...values);
  if (agg.method === 'min') return values.length === 0 ? 0 : Math.min(...values);
  return values.reduce((sum, value) => sum + value, 0);
}

function bounds(by: GroupSpec, key: string | false): { from: string; to: string } | false {
  if (key === false || by.granularity === null) return false;
  const end = periodEnd(key, by.granularity);
  return by.datetime ? { from: `${key} 00:00:00`, to: `${end} 00:00:00` } : { from: key, to: end };
}

function rangeDomain(by: GroupSpec, key: string | false): unknown[] {
  const range = bounds(by, key);
  if (range === false) return [[by.field, '=', key]];
  return ['&', [by.field, '>=', range.from], [by.field, '<', range.to]];
}

function only(groupby: unknown, model: ModelDef): GroupSpec {
  const list = Array.isArray(groupby) ? groupby : typeof groupby === 'string' ? [groupby] : [];
  if (list.length !== 1)
    throw valueError('This emulator groups by exactly one field (what the console asks for)');
  return groupSpec(model, list[0]);
}

function paged<T>(items: readonly T[], offset: unknown, limit: unknown): T[] {
  const start = typeof offset === 'number' ? offset : 0;
  return typeof limit === 'number' ? items.slice(start, start + limit) : items.slice(start);
}

/** Odoo 17's (and 19's deprecated) read_group. */
export function readGroup(
  db: Database,
  modelName: string,
  ids: readonly number[],
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] {
  const model = db.model(modelName);
  const by = only(params.groupby, model);
  const fields = Array.isArray(params.fields) ? params.fields : [];
  const aggregates = fields.map((spec) => aggregate(model, spec, false)).filter((agg) => agg !== null);
  const lazy = params.lazy !== false;
  const domain: unknown[] = Array.isArray(params.domain) ? (params.domain as unknown[]) : [];
  return paged(groupsOf(db, model, ids, by), params.offset, params.limit).map((group) => {
    const row: Record<string, unknown> = {
      [by.spec]:
        group.key === false || by.granularity === null ? group.key : label(group.key, by.granularity),
      [lazy ? `${by.field}_count` : '__count']: group.records.length,
    };
    for (const agg of aggregates) row[agg.field] = aggregated(db, model, group.records, agg);
    const extra = rangeDomain(by, group.key);
    row.__domain =
      db.series === '17.0' ? ['&', ...domain, ...extra] : ['&', '&', ...domain, ...extra.slice(1)];
    if (by.granularity !== null) row.__range = { [by.spec]: bounds(by, group.key) };
    return row;
  });
}

/** Odoo 19's formatted_read_group. */
export function formattedReadGroup(
  db: Database,
  modelName: string,
  ids: readonly number[],
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] {
  const model = db.model(modelName);
  const specs = Array.isArray(params.aggregates) ? params.aggregates : [];
  const aggregates = specs.map((spec) => aggregate(model, spec, true));
  const groupby = Array.isArray(params.groupby) ? params.groupby : [];
  if (groupby.length === 0) {
    const records = ids.flatMap((id) => db.record(modelName, id) ?? []);
    return [answer(db, model, records, specs, aggregates, { __extra_domain: [[1, '=', 1]] })];
  }
  const by = only(groupby, model);
  return paged(groupsOf(db, model, ids, by), params.offset, params.limit).map((group) =>
    answer(db, model, group.records, specs, aggregates, {
      [by.spec]:
        group.key === false || by.granularity === null
          ? group.key
          : [by.datetime ? `${group.key} 00:00:00` : group.key, label(group.key, by.granularity)],
      __extra_domain: rangeDomain(by, group.key),
    }),
  );
}

function answer(
  db: Database,
  model: ModelDef,
  records: readonly StoredRecord[],
  specs: readonly unknown[],
  aggregates: readonly (Aggregate | null)[],
  head: Record<string, unknown>,
): Record<string, unknown> {
  const row: Record<string, unknown> = { ...head };
  specs.forEach((spec, index) => {
    const agg = aggregates[index];
    row[String(spec)] =
      agg === null || agg === undefined ? records.length : aggregated(db, model, records, agg);
  });
  return row;
}
