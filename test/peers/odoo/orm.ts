import type { EmulatorState, Operation } from './emulator-state.js';
import { load } from './load-method.js';
import { accessError, OdooServerError, valueError } from './odoo-error.js';
import { bindArguments, ORM_SIGNATURES, RECORD_METHOD } from './orm-signatures.js';

/**
 * `execute_kw` (and JSON-2) dispatch: model lookup, private-method refusal, argument binding,
 * access rights, then the ORM method. Returns the result and how many records were written (for
 * the latency model).
 */

export interface OrmOutcome {
  readonly result: unknown;
  readonly recordsWritten: number;
}

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
      readonly: field.compute !== undefined,
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

function checkObjectReference(state: EmulatorState, module: unknown, name: unknown): unknown {
  const target = state.resolveXmlid(`${String(module)}.${String(name)}`);
  if (target === null)
    throw valueError(`External ID not found in the system: ${String(module)}.${String(name)}`);
  return [target.model, target.resId];
}

const READ_ONLY = new Set([
  'search',
  'search_read',
  'search_count',
  'read',
  'fields_get',
  'check_access_rights',
  'has_access',
  'context_get',
  'check_object_reference',
]);

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
  if (method.startsWith('_')) {
    throw accessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
  }
  const custom = definition.methods?.[method];
  const generic = ORM_SIGNATURES[method];
  const available =
    custom !== undefined ||
    (generic !== undefined &&
      (method !== 'context_get' || model === 'res.users') &&
      (method !== 'check_object_reference' || model === 'ir.model.data') &&
      (method !== 'has_access' || state.version === '19.0'));
  if (!available)
    throw new OdooServerError('builtins.AttributeError', `The method '${model}.${method}' does not exist`);
  const bound = bindArguments(
    `${model}.${method}`,
    custom !== undefined ? RECORD_METHOD : (generic ?? RECORD_METHOD),
    args,
    kwargs,
  );
  const p = bound.params;
  const db = state.db;
  const read = (): void => state.checkAccess(uid, model, 'read');

  if (custom !== undefined) {
    state.checkAccess(uid, model, 'write');
    return { result: custom(db, bound.ids, uid), recordsWritten: bound.ids.length };
  }
  switch (method) {
    case 'search':
      read();
      return {
        result: db.search(model, p.domain, {
          offset: Number(p.offset ?? 0),
          limit: optionalNumber(p.limit),
          order: p.order as string | null,
        }),
        recordsWritten: 0,
      };
    case 'search_count':
      read();
      return {
        result: db.search(model, p.domain, { limit: optionalNumber(p.limit) }).length,
        recordsWritten: 0,
      };
    case 'search_read': {
      read();
      const ids = db.search(model, p.domain ?? [], {
        offset: Number(p.offset ?? 0),
        limit: optionalNumber(p.limit),
        order: p.order as string | null,
      });
      return { result: db.read(model, ids, fieldList(p.fields), uid), recordsWritten: 0 };
    }
    case 'read':
      read();
      return { result: db.read(model, bound.ids, fieldList(p.fields), uid), recordsWritten: 0 };
    case 'create': {
      state.checkAccess(uid, model, 'create');
      const single = !Array.isArray(p.vals_list);
      const list = (single ? [p.vals_list] : p.vals_list) as unknown[];
      const ids = list.map((values) => db.create(model, (values ?? {}) as Record<string, unknown>, uid));
      return { result: single ? ids[0] : ids, recordsWritten: ids.length };
    }
    case 'write':
      state.checkAccess(uid, model, 'write');
      db.write(model, bound.ids, (p.vals ?? {}) as Record<string, unknown>, uid);
      return { result: true, recordsWritten: bound.ids.length };
    case 'unlink':
      state.checkAccess(uid, model, 'unlink');
      db.unlink(model, bound.ids);
      return { result: true, recordsWritten: bound.ids.length };
    case 'load': {
      const result = load(state, model, p.fields, p.data, uid);
      return { result, recordsWritten: Array.isArray(p.data) ? p.data.length : 0 };
    }
    case 'fields_get':
      return { result: fieldsGet(state, model, p.allfields, p.attributes), recordsWritten: 0 };
    case 'check_access_rights': {
      const allowed = state.mayAccess(uid, model, asOperation(p.operation));
      if (!allowed && p.raise_exception !== false) state.checkAccess(uid, model, asOperation(p.operation));
      return { result: allowed, recordsWritten: 0 };
    }
    case 'has_access':
      return { result: state.mayAccess(uid, model, asOperation(p.operation)), recordsWritten: 0 };
    case 'context_get':
      return { result: { lang: 'en_US', tz: 'Europe/Brussels', uid }, recordsWritten: 0 };
    case 'check_object_reference':
      return { result: checkObjectReference(state, p.module, p.xml_id), recordsWritten: 0 };
    default:
      throw new OdooServerError('builtins.AttributeError', `The method '${model}.${method}' does not exist`);
  }
}
