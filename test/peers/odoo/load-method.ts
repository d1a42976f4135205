import type { EmulatorState } from './emulator-state.js';
import {
  convertCell,
  isEmpty,
  parseColumns,
  qualifyImportXmlid,
  RowError,
  type Column,
} from './load-columns.js';
import type { ModelDef } from './model-types.js';
import { OdooServerError } from './odoo-error.js';

/**
 * `model.load(fields, data)`: upsert by external id, relational columns by external id, one2many
 * lines in the rows that follow a record, and all-or-nothing: if any record fails, nothing is kept,
 * `ids` is false and `messages` names every failing record (see load_*.resp.json).
 */

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

function lineCommands(
  state: EmulatorState,
  model: ModelDef,
  field: string,
  columns: readonly Column[],
  rows: readonly unknown[][],
): unknown[] {
  const definition = model.fields[field];
  const lineModel = state.db.model(definition?.relation ?? '');
  const commands: unknown[] = [];
  for (const row of rows) {
    if (columns.every((column) => isEmpty(row[column.index]))) continue;
    const values: Record<string, unknown> = {};
    let xmlid: string | null = null;
    for (const column of columns) {
      if (column.sub === null || column.sub === undefined) {
        xmlid = isEmpty(row[column.index]) ? null : qualifyImportXmlid(String(row[column.index]));
        continue;
      }
      const sub = lineModel.fields[column.sub];
      if (sub === undefined) throw new RowError(`Unknown field '${column.sub}' on '${lineModel.name}'`);
      values[column.sub] = convertCell(state, column.sub, sub, row[column.index], column.byXmlid);
    }
    const existing = xmlid === null ? null : state.resolveXmlid(xmlid);
    if (existing !== null && existing.model === lineModel.name) commands.push([1, existing.resId, values]);
    else if (xmlid !== null) commands.push({ create: values, xmlid });
    else commands.push([0, 0, values]);
  }
  return commands;
}

function loadRecord(
  state: EmulatorState,
  model: ModelDef,
  columns: readonly Column[],
  rows: readonly unknown[][],
  uid: number,
): number {
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
    values[column.field] = convertCell(state, column.field, field, first[column.index], column.byXmlid);
  }
  const existing = xmlid === null ? null : state.resolveXmlid(xmlid);
  const target = existing !== null && existing.model === model.name ? existing.resId : null;
  const id = target ?? state.db.create(model.name, values, uid);
  if (target !== null) state.db.write(model.name, [target], values, uid);
  else if (xmlid !== null) state.bindXmlid(xmlid, model.name, id, uid);

  for (const [field, fieldColumns] of lineColumns) {
    const definition = model.fields[field];
    const lineModel = definition?.relation ?? '';
    for (const command of lineCommands(state, model, field, fieldColumns, rows)) {
      if (Array.isArray(command)) state.db.write(model.name, [id], { [field]: [command] }, uid);
      else {
        const { create, xmlid: lineXmlid } = command as { create: Record<string, unknown>; xmlid: string };
        const lineId = state.db.create(lineModel, { ...create, [definition?.inverse ?? '']: id }, uid);
        state.bindXmlid(lineXmlid, lineModel, lineId, uid);
      }
    }
  }
  return id;
}

export function load(
  state: EmulatorState,
  modelName: string,
  fields: unknown,
  data: unknown,
  uid: number,
): unknown {
  const model = state.db.model(modelName);
  if (!Array.isArray(fields) || !Array.isArray(data) || !data.every((row) => Array.isArray(row))) {
    throw new OdooServerError(
      'builtins.TypeError',
      'load() expects a list of field names and a list of rows',
    );
  }
  const columns = parseColumns(model, fields);
  state.checkAccess(uid, modelName, 'create');
  state.checkAccess(uid, modelName, 'write');
  const rows = data as unknown[][];
  const mainColumns = columns.filter(
    (column) => column.field === null || model.fields[column.field]?.type !== 'one2many',
  );
  const savepoint = state.db.begin();
  const ids: number[] = [];
  const messages: Record<string, unknown>[] = [];
  for (const group of groupRecords(rows, mainColumns)) {
    try {
      ids.push(loadRecord(state, model, columns, rows.slice(group.from, group.to + 1), uid));
    } catch (error) {
      if (!(error instanceof RowError) && !(error instanceof OdooServerError)) {
        state.db.rollback(savepoint);
        throw error;
      }
      const text = error instanceof OdooServerError ? (error.loadMessage ?? error.message) : error.message;
      messages.push({
        rows: { from: group.from, to: group.to },
        type: 'error',
        record: group.index,
        message: text,
        ...(error instanceof RowError ? error.extra : {}),
      });
    }
  }
  if (messages.length > 0) {
    state.db.rollback(savepoint);
    return { ids: false, messages, nextrow: 0 };
  }
  state.db.commit();
  return { ids, messages: [], nextrow: 0 };
}
