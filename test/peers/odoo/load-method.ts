import type { EmulatorState } from './emulator-state.js';
import {
  ConversionIssue,
  convertCell,
  isEmpty,
  parseColumns,
  qualifyImportXmlid,
  type Column,
} from './load-columns.js';
import { saveRecords, type LoadLine, type LoadRecord, type RecordInfo } from './load-save.js';
import type { ModelDef } from './model-types.js';
import { OdooServerError } from './odoo-error.js';

/**
 * `model.load(fields, data)` as Odoo 17's BaseModel.load does it, in two stages:
 * 1. conversion: every cell of every record through the field converters; a cell that does not
 *    convert is logged (an error or a warning, with the field and Odoo's help) and left out, and
 *    the record goes on to be saved without it;
 * 2. save (load-save.ts): create or update by external id, under savepoints, with Odoo's cut-off
 *    after 10 save errors.
 * Any error message rolls the whole load back: `ids` is false (see load_*.resp.json).
 */

export interface LoadOutcome {
  readonly result: { ids: number[] | false; messages: Record<string, unknown>[]; nextrow: number };
  readonly created: number;
  readonly updated: number;
}

interface RecordRows {
  readonly index: number;
  readonly from: number;
  readonly to: number;
}

function groupRecords(rows: readonly unknown[][], mainColumns: readonly Column[]): RecordRows[] {
  const groups: RecordRows[] = [];
  rows.forEach((row, rowIndex) => {
    const startsRecord = rowIndex === 0 || mainColumns.some((column) => !isEmpty(row[column.index]));
    const last = groups[groups.length - 1];
    if (startsRecord || last === undefined)
      groups.push({ index: groups.length, from: rowIndex, to: rowIndex });
    else groups[groups.length - 1] = { ...last, to: rowIndex };
  });
  return groups;
}

type Log = (message: Record<string, unknown>) => void;

function logIssue(log: Log, info: RecordInfo, field: string, label: string, issue: ConversionIssue): void {
  log({ ...info, type: issue.type, field, message: issue.message, ...issue.extra, field_name: label });
}

/**
 * A one2many's lines. A line cell that does not convert fails the whole field, its message naming
 * "lines/sub"; a warning keeps the value and is reported against the field.
 */
function lineValues(
  state: EmulatorState,
  model: ModelDef,
  field: string,
  columns: readonly Column[],
  rows: readonly unknown[][],
  warn: (issue: ConversionIssue) => void,
): LoadLine[] {
  const definition = model.fields[field];
  const lineModel = state.db.model(definition?.relation ?? '');
  const lines: LoadLine[] = [];
  for (const row of rows) {
    if (columns.every((column) => isEmpty(row[column.index]))) continue;
    const values: Record<string, unknown> = {};
    let xmlid: string | null = null;
    for (const column of columns) {
      const cell = row[column.index];
      if (column.sub === null || column.sub === undefined) {
        xmlid = isEmpty(cell) ? null : qualifyImportXmlid(String(cell));
        continue;
      }
      const sub = lineModel.fields[column.sub];
      if (sub === undefined) continue;
      try {
        values[column.sub] = convertCell(state, sub, cell, column.byXmlid);
      } catch (error) {
        if (!(error instanceof ConversionIssue)) throw error;
        if (error.type === 'warning') {
          warn(error);
          values[column.sub] = error.kept;
          continue;
        }
        throw new ConversionIssue(
          'error',
          error.message.replace(
            `in field '${sub.string}'`,
            `in field '${definition?.string ?? field}/${sub.string}'`,
          ),
          error.extra,
        );
      }
    }
    lines.push({ xmlid, values });
  }
  return lines;
}

function convertRecord(
  state: EmulatorState,
  model: ModelDef,
  columns: readonly Column[],
  rows: readonly unknown[][],
  info: RecordInfo,
  log: Log,
): LoadRecord {
  const first = rows[0] ?? [];
  const values: Record<string, unknown> = {};
  let xmlid: string | null = null;
  const lineColumns = new Map<string, Column[]>();
  for (const column of columns) {
    if (column.field === null) {
      xmlid = isEmpty(first[column.index]) ? null : qualifyImportXmlid(String(first[column.index]));
      continue;
    }
    const field = model.fields[column.field];
    if (field === undefined) continue;
    if (field.type === 'one2many') {
      lineColumns.set(column.field, [...(lineColumns.get(column.field) ?? []), column]);
      continue;
    }
    try {
      values[column.field] = convertCell(state, field, first[column.index], column.byXmlid);
    } catch (error) {
      if (!(error instanceof ConversionIssue)) throw error;
      logIssue(log, info, column.field, field.string, error);
      if (error.kept !== undefined) values[column.field] = error.kept;
    }
  }
  const lines: { field: string; lines: LoadLine[] }[] = [];
  for (const [field, fieldColumns] of lineColumns) {
    const label = model.fields[field]?.string ?? field;
    const report = (issue: ConversionIssue): void => logIssue(log, info, field, label, issue);
    try {
      lines.push({ field, lines: lineValues(state, model, field, fieldColumns, rows, report) });
    } catch (error) {
      if (!(error instanceof ConversionIssue)) throw error;
      report(error);
    }
  }
  return { info, xmlid, values, lines };
}

export function load(
  state: EmulatorState,
  modelName: string,
  fields: unknown,
  data: unknown,
  uid: number,
): LoadOutcome {
  const model = state.db.model(modelName);
  if (!Array.isArray(fields) || !Array.isArray(data) || !data.every((row) => Array.isArray(row))) {
    throw new OdooServerError(
      'builtins.TypeError',
      'load() expects a list of field names and a list of rows',
    );
  }
  const columns = parseColumns(state.db, model, fields);
  const rows = data as unknown[][];
  const mainColumns = columns.filter(
    (column) => column.field === null || model.fields[column.field]?.type !== 'one2many',
  );
  const messages: Record<string, unknown>[] = [];
  const log: Log = (message) => messages.push(message);
  const savepoint = state.db.begin();
  const records = groupRecords(rows, mainColumns).map((group) =>
    convertRecord(
      state,
      model,
      columns,
      rows.slice(group.from, group.to + 1),
      { rows: { from: group.from, to: group.to }, record: group.index },
      log,
    ),
  );
  const saved = saveRecords(state, model, records, uid);
  messages.push(...saved.messages);
  if (saved.globalMessage !== null) messages.unshift(saved.globalMessage);
  const work = { created: saved.created, updated: saved.updated };
  if (messages.some((message) => message.type === 'error')) {
    state.db.rollback(savepoint);
    return { result: { ids: false, messages, nextrow: 0 }, ...work };
  }
  state.db.commit();
  return { result: { ids: saved.ids, messages, nextrow: 0 }, ...work };
}
