import type { EmulatorState, Operation } from './emulator-state.js';
import { load } from './load-method.js';
import { formattedReadGroup, readGroup } from './read-group.js';
import { accessError, OdooServerError, valueError } from './odoo-error.js';
import { bindArguments, ORM_SIGNATURES, RECORD_METHOD, type PySignature } from './orm-signatures.js';

/**
 * `execute_kw` (and JSON-2) dispatch: model lookup, private-method refusal, argument binding,
 * access rights, then the ORM method. Returns the result and the work done (records created and
 * updated, for the latency model).
 */

export interface CallWork {
  readonly model: string | null;
  readonly created: number;
  readonly updated: number;
  /** Records a search_read or read answered (a real Odoo's cost grows with them; latency.ts). */
  readonly read?: number;
}

export interface OrmOutcome {
  readonly result: unknown;
  readonly work: CallWork;
}

export const NO_WORK: CallWork = { model: null, created: 0, updated: 0 };

const OPERATIONS: readonly Operation[] = ['read', 'write', 'create', 'unlink'];

function asOperation(value: unknown): Operation {
  if (typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value))
    return value as Operation;
  throw valueError(`Invalid access mode ${String(value)}`);
}

function fieldList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
}

function optionalNumber(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function fieldsGet(
  state: EmulatorState,
  model: string,
  allfields: unknown,
  attributes: unknown,
): Record<string, unknown> {
  const definition = state.db.model(model);
  const wanted = fieldList(allfields);
  const attrs = fieldList(attributes);
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(definition.fields)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const all: Record<string, unknown> = {
      string: field.string,
      type: field.type,
      required: field.required ?? false,
      readonly: field.readonly ?? field.compute !== undefined,
      ...(field.relation === undefined ? {} : { relation: field.relation }),
      ...(field.selection === undefined ? {} : { selection: field.selection }),
    };
    out[name] =
      attrs.length === 0
        ? all
        : Object.fromEntries(Object.entries(all).filter(([key]) => attrs.includes(key)));
  }
  return out;
}

/**
 * Any user may call it (it needs no right on ir.model.data); Odoo then searches the target by id
 * with the caller's rights, so an archived or unreadable target comes back as false.
 */
function checkObjectReference(state: EmulatorState, uid: number, module: unknown, name: unknown): unknown {
  const target = state.resolveXmlid(`${String(module)}.${String(name)}`);
  if (target === null)
    throw valueError(`External ID not found in the system: ${String(module)}.${String(name)}`);
  state.checkAccess(uid, target.model, 'read');
  const [found] = state.db.search(target.model, [['id', '=', target.resId]]);
  return [target.model, found ?? false];
}

/** 17.0 final words it after the model; Odoo 19 (and earlier 17.0 builds, see the fixtures) before. */
function unknownMethod(state: EmulatorState, model: string, method: string): OdooServerError {
  return new OdooServerError(
    'builtins.AttributeError',
    state.version === '17.0'
      ? `The method '${method}' does not exist on the model '${model}'`
      : `The method '${model}.${method}' does not exist`,
  );
}

/** The Python class a model's own methods live in, as Odoo names them: account.move → AccountMove. */
function pythonClassName(model: string): string {
  return model
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

const READ_ONLY = new Set([
  'search',
  'search_read',
  'search_count',
  'read',
  'read_group',
  'formatted_read_group',
  'fields_get',
  'check_access_rights',
  'has_access',
  'context_get',
  'check_object_reference',
]);

/**
 * The Python signature of a public method of a model, or Odoo's refusal: a private method is an
 * AccessError, an unknown one an AttributeError (JSON-2 answers it as a 404).
 */
export function methodSignature(state: EmulatorState, model: string, method: string): PySignature {
  const definition = state.db.model(model);
  if (method.startsWith('_')) {
    throw accessError(
      state.version === '17.0'
        ? `Private methods (such as ${method}) cannot be called remotely.`
        : `Private methods (such as '${model}.${method}') cannot be called remotely.`,
    );
  }
  if (definition.methods?.[method] !== undefined)
    return { ...RECORD_METHOD, qualname: `${pythonClassName(model)}.${method}` };
  const generic = ORM_SIGNATURES[method];
  const available =
    generic !== undefined &&
    (method !== 'context_get' || model === 'res.users') &&
    (method !== 'check_object_reference' || model === 'ir.model.data') &&
    (method !== 'has_access' || state.version === '19.0') &&
    (method !== 'formatted_read_group' || state.version === '19.0');
  if (!available) throw unknownMethod(state, model, method);
  return generic;
}

/** One call is one transaction in Odoo: a failing write leaves nothing behind. */
export function callKw(
  state: EmulatorState,
  uid: number,
  model: string,
  method: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): OrmOutcome {
  if (READ_ONLY.has(method)) return dispatch(state, uid, model, method, args, kwargs);
  const savepoint = state.db.begin();
  try {
    const outcome = dispatch(state, uid, model, method, args, kwargs);
    state.db.commit();
    return outcome;
  } catch (error) {
    state.db.rollback(savepoint);
    throw error;
  }
}

function dispatch(
  state: EmulatorState,
  uid: number,
  model: string,
  method: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): OrmOutcome {
  const definition = state.db.model(model);
  const custom = definition.methods?.[method];
  const bound = bindArguments(method, methodSignature(state, model, method), args, kwargs);
  const p = bound.params;
  const db = state.db;
  const read = (): void => state.checkAccess(uid, model, 'read');
  const done = (result: unknown, created = 0, updated = 0): OrmOutcome => ({
    result,
    work: { model, created, updated },
  });

  if (custom !== undefined) {
    state.checkAccess(uid, model, 'write');
    return done(custom(db, bound.ids, uid), 0, bound.ids.length);
  }
  switch (method) {
    case 'search':
      read();
      return done(
        db.search(model, p.domain, {
          offset: Number(p.offset ?? 0),
          limit: optionalNumber(p.limit),
          order: p.order as string | null,
        }),
      );
    case 'search_count':
      read();
      return done(db.search(model, p.domain, { limit: optionalNumber(p.limit) }).length);
    case 'search_read': {
      read();
      const ids = db.search(model, p.domain ?? [], {
        offset: Number(p.offset ?? 0),
        limit: optionalNumber(p.limit),
        order: p.order as string | null,
      });
      const rows = db.read(model, ids, fieldList(p.fields), uid);
      return { result: rows, work: { model, created: 0, updated: 0, read: rows.length } };
    }
    case 'read': {
      read();
      const rows = db.read(model, bound.ids, fieldList(p.fields), uid);
      return { result: rows, work: { model, created: 0, updated: 0, read: rows.length } };
    }
    case 'read_group':
      read();
      // Odoo aggregates in SQL without ordering the rows: no sort by the model's order here.
      return done(readGroup(db, model, db.search(model, p.domain ?? [], { order: 'id' }), p));
    case 'formatted_read_group':
      read();
      return done(formattedReadGroup(db, model, db.search(model, p.domain ?? [], { order: 'id' }), p));
    case 'create': {
      state.checkAccess(uid, model, 'create');
      const single = !Array.isArray(p.vals_list);
      const list = (single ? [p.vals_list] : p.vals_list) as unknown[];
      const ids = list.map((values) => db.create(model, (values ?? {}) as Record<string, unknown>, uid));
      return done(single ? ids[0] : ids, ids.length);
    }
    case 'write':
      state.checkAccess(uid, model, 'write');
      db.write(model, bound.ids, (p.vals ?? {}) as Record<string, unknown>, uid);
      return done(true, 0, bound.ids.length);
    case 'unlink':
      // Some models' unlink() reads the records before Odoo checks the right to delete.
      if (definition.unlinkReadsFirst === true) db.browse(model, bound.ids, uid);
      state.checkAccess(uid, model, 'unlink');
      db.unlink(model, bound.ids);
      return done(true, 0, bound.ids.length);
    case 'load': {
      const loaded = load(state, model, p.fields, p.data, uid);
      return done(loaded.result, loaded.created, loaded.updated);
    }
    case 'fields_get':
      return done(fieldsGet(state, model, p.allfields, p.attributes));
    case 'check_access_rights': {
      const allowed = state.mayAccess(uid, model, asOperation(p.operation));
      if (!allowed && p.raise_exception !== false) state.checkAccess(uid, model, asOperation(p.operation));
      // 19.0 hands it to check_access(), which answers None (JSON-RPC leaves out `result`).
      return done(state.version === '19.0' && p.raise_exception !== false ? undefined : allowed);
    }
    case 'has_access':
      return done(state.mayAccess(uid, model, asOperation(p.operation)));
    case 'context_get':
      return done({ lang: 'en_US', tz: 'Europe/Brussels', uid });
    case 'check_object_reference':
      return done(checkObjectReference(state, uid, p.module, p.xml_id));
    default:
      throw unknownMethod(state, model, method);
  }
}
