import type { EmulatorState } from './emulator-state.js';
import type { ModelDef } from './model-types.js';
import { OdooServerError, serializationFailure, validationError } from './odoo-error.js';

/**
 * The save stage of `load` (BaseModel.load's `flush` and `_load_records`): records whose external
 * id exists are updated, the others created and given their external id. Odoo first saves the
 * whole batch at once; when that fails it saves record by record, each under its own savepoint,
 * logging each failure and stopping after 10 of them (when they are also at least one in ten of
 * the records tried). When the batch failed on a UserError (AccessError, ValidationError, …), that
 * error is reported once more, first, against the first record of the batch.
 */

export interface RecordInfo {
  readonly rows: { readonly from: number; readonly to: number };
  readonly record: number;
}

export interface LoadLine {
  readonly xmlid: string | null;
  readonly values: Record<string, unknown>;
}

export interface LoadRecord {
  readonly info: RecordInfo;
  readonly xmlid: string | null;
  readonly values: Readonly<Record<string, unknown>>;
  /** one2many lines per field: updated when their external id exists, else created. */
  readonly lines: readonly { readonly field: string; readonly lines: readonly LoadLine[] }[];
}

export interface SaveOutcome {
  readonly ids: number[];
  readonly messages: Record<string, unknown>[];
  readonly globalMessage: Record<string, unknown> | null;
  readonly created: number;
  readonly updated: number;
}

/** UserError and its subclasses: what `load` reports with the exception's text as it is. */
const USER_ERRORS = new Set([
  'odoo.exceptions.UserError',
  'odoo.exceptions.ValidationError',
  'odoo.exceptions.AccessError',
  'odoo.exceptions.MissingError',
  'odoo.exceptions.RedirectWarning',
]);

const isUserError = (error: OdooServerError): boolean =>
  error.loadMessage === undefined && USER_ERRORS.has(error.pythonName);

/** How one failed record is reported (BaseModel.load's except clauses, in their order). */
function failureMessage(info: RecordInfo, error: OdooServerError): Record<string, unknown> {
  if (error.loadMessage !== undefined)
    return { ...info, type: 'error', message: error.loadMessage, ...error.loadExtra };
  if (isUserError(error)) return { ...info, type: 'error', message: error.message };
  const shown = error.pythonName.replace(/^builtins\./, '');
  return {
    ...info,
    type: 'error',
    message: `Unknown error during import: <class '${shown}'>: ${error.message}`,
    moreinfo: 'Resolve other errors first',
  };
}

type XmlidRow = ReturnType<EmulatorState['xmlidRow']>;

function saveRecord(
  state: EmulatorState,
  model: ModelDef,
  record: LoadRecord,
  existing: XmlidRow,
  uid: number,
  conflict: boolean,
): number {
  const db = state.db;
  if (existing !== null && existing.model !== model.name) {
    throw validationError(
      `For external id ${String(record.xmlid)} when trying to create/update a record of model ${model.name} found record of different model ${existing.model} (${existing.dataId})`,
    );
  }
  let id: number;
  if (existing !== null) {
    id = existing.resId;
    state.checkAccess(uid, model.name, 'write');
    if (conflict || !state.rowLocks.lock(model.name, id)) throw serializationFailure();
    // Odoo writes the values and the one2many lines in one write(): its checks see both.
    const current = db.record(model.name, id);
    const lineFields = Object.fromEntries(record.lines.map(({ field }) => [field, []]));
    if (current !== undefined) model.beforeWrite?.(current, { ...record.values, ...lineFields }, db);
    db.write(model.name, [id], record.values, uid);
  } else {
    state.checkAccess(uid, model.name, 'create');
    if (conflict) throw serializationFailure();
    id = db.create(model.name, record.values, uid);
    if (record.xmlid !== null) state.bindXmlid(record.xmlid, model.name, id, 1);
  }
  for (const { field, lines } of record.lines) {
    const definition = model.fields[field];
    const lineModel = definition?.relation ?? '';
    for (const line of lines) {
      const target = line.xmlid === null ? null : state.resolveXmlid(line.xmlid);
      if (target !== null && target.model === lineModel) {
        db.write(model.name, [id], { [field]: [[1, target.resId, line.values]] }, uid);
        continue;
      }
      const lineId = db.create(lineModel, { ...line.values, [definition?.inverse ?? '']: id }, uid);
      if (line.xmlid !== null) state.bindXmlid(line.xmlid, lineModel, lineId, 1);
    }
  }
  return id;
}

export function saveRecords(
  state: EmulatorState,
  model: ModelDef,
  records: readonly LoadRecord[],
  uid: number,
): SaveOutcome {
  const db = state.db;
  const conflict = records.length > 0 && state.rowLocks.takeForcedConflict();
  const ids: number[] = [];
  const messages: Record<string, unknown>[] = [];
  const failures: { record: LoadRecord; error: OdooServerError; update: boolean }[] = [];
  let created = 0;
  let updated = 0;
  let errors = 0;
  for (const [position, record] of records.entries()) {
    const existing = record.xmlid === null ? null : state.xmlidRow(record.xmlid);
    const update = existing !== null;
    const savepoint = db.begin();
    try {
      ids.push(saveRecord(state, model, record, existing, uid, conflict));
      db.commit();
    } catch (error) {
      db.rollback(savepoint);
      if (!(error instanceof OdooServerError)) throw error;
      failures.push({ record, error, update });
      messages.push(failureMessage(record.info, error));
      errors += 1;
    }
    if (update) updated += 1;
    else created += 1;
    if (errors >= 10 && errors >= (position + 1) / 10) {
      messages.push({
        type: 'warning',
        message:
          'Found more than 10 errors and more than one error per 10 records, interrupted to avoid showing too many errors.',
      });
      break;
    }
  }
  return { ids, messages, globalMessage: batchMessage(records, failures, messages), created, updated };
}

/**
 * The batch saves updates first, then creates: its error is the first failing update's, else the
 * first failing create's. Reported (against the batch's first record) only for a UserError whose
 * message the record-by-record pass did not already give for that record.
 */
function batchMessage(
  records: readonly LoadRecord[],
  failures: readonly { record: LoadRecord; error: OdooServerError; update: boolean }[],
  messages: readonly Record<string, unknown>[],
): Record<string, unknown> | null {
  const first = failures.find((failure) => failure.update) ?? failures[0];
  const firstRecord = records[0];
  if (first === undefined || firstRecord === undefined || !isUserError(first.error)) return null;
  const global = { ...firstRecord.info, type: 'error', message: first.error.message };
  // Python compares the dicts; both are built as { ...info, type, message }.
  const repeated = messages.some((message) => JSON.stringify(message) === JSON.stringify(global));
  return repeated ? null : global;
}
