import { typeError } from './odoo-error.js';

/**
 * Python signatures of the ORM methods the emulator serves, so positional `args` and `kwargs`
 * bind to named parameters the way Python does (and fail the way Python does).
 */

export interface PySignature {
  readonly onRecords: boolean;
  readonly params: readonly string[];
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** The name Python puts in its TypeError messages (the defining class's qualified name). */
  readonly qualname?: string;
  /** `**kwargs` passed on to another function, which accepts only these (search_read → _read_format). */
  readonly passesKwargs?: { readonly to: string; readonly accepts: readonly string[] };
}

export const ORM_SIGNATURES: Readonly<Record<string, PySignature>> = {
  search: {
    onRecords: false,
    params: ['domain', 'offset', 'limit', 'order'],
    defaults: { offset: 0, limit: null, order: null },
  },
  search_read: {
    onRecords: false,
    params: ['domain', 'fields', 'offset', 'limit', 'order'],
    defaults: { domain: [], fields: [], offset: 0, limit: null, order: null },
    passesKwargs: { to: 'BaseModel._read_format', accepts: ['load'] },
  },
  search_count: { onRecords: false, params: ['domain', 'limit'], defaults: { limit: null } },
  read_group: {
    onRecords: false,
    params: ['domain', 'fields', 'groupby', 'offset', 'limit', 'orderby', 'lazy'],
    defaults: { offset: 0, limit: null, orderby: false, lazy: true },
  },
  // Odoo 19 only (orm.ts): the successor of read_group, with the aggregates named by their spec.
  formatted_read_group: {
    onRecords: false,
    params: ['domain', 'groupby', 'aggregates', 'having', 'offset', 'limit', 'order'],
    defaults: { groupby: [], aggregates: [], having: [], offset: 0, limit: null, order: null },
  },
  read: { onRecords: true, params: ['fields', 'load'], defaults: { fields: [], load: '_classic_read' } },
  // Wrapped by @api.model_create_multi: Python names the bare function.
  create: { onRecords: false, params: ['vals_list'], qualname: 'create' },
  write: { onRecords: true, params: ['vals'] },
  unlink: { onRecords: true, params: [] },
  load: { onRecords: false, params: ['fields', 'data'] },
  fields_get: {
    onRecords: false,
    params: ['allfields', 'attributes'],
    defaults: { allfields: null, attributes: null },
  },
  check_access_rights: {
    onRecords: false,
    params: ['operation', 'raise_exception'],
    defaults: { raise_exception: true },
  },
  has_access: { onRecords: false, params: ['operation'] },
  context_get: { onRecords: false, params: [] },
  check_object_reference: {
    onRecords: false,
    params: ['module', 'xml_id', 'raise_on_access_error'],
    defaults: { raise_on_access_error: false },
  },
};

/** Model-specific public methods (server actions) take only the records. */
export const RECORD_METHOD: PySignature = { onRecords: true, params: [] };

export interface BoundCall {
  readonly ids: number[];
  readonly params: Record<string, unknown>;
}

function isIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((id) => typeof id === 'number' && Number.isInteger(id));
}

/** Python's "takes 2 positional arguments" / "takes from 1 to 6 positional arguments" (self counted). */
function takes(signature: PySignature): string {
  const all = signature.params.length + 1;
  const required = signature.params.filter((name) => !(name in (signature.defaults ?? {}))).length + 1;
  const count = required === all ? `${all}` : `from ${required} to ${all}`;
  return `takes ${count} positional argument${all === 1 ? '' : 's'}`;
}

/**
 * Bind `args`/`kwargs` as Python would, with Python 3.11's TypeError wording. Generic ORM methods
 * are named after the class that defines them (BaseModel.read); a model's own override would be
 * named after its class (ResPartner.write), which the emulator does not track.
 */
export function bindArguments(
  method: string,
  signature: PySignature,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): BoundCall {
  const qualified = signature.qualname ?? `BaseModel.${method}`;
  const positional = [...args];
  let ids: number[] = [];
  if (signature.onRecords) {
    const first = positional.shift() ?? kwargs.ids;
    const list = typeof first === 'number' ? [first] : first;
    if (!isIdList(list)) throw typeError(`${qualified}() expects a list of record ids first`);
    ids = list;
  }
  if (positional.length > signature.params.length) {
    throw typeError(`${qualified}() ${takes(signature)} but ${positional.length + 1} were given`);
  }
  const params: Record<string, unknown> = { ...signature.defaults };
  positional.forEach((value, index) => {
    const name = signature.params[index];
    if (name !== undefined) params[name] = value;
  });
  for (const [name, value] of Object.entries(kwargs)) {
    if (name === 'context' || name === 'ids') continue;
    if (!signature.params.includes(name)) {
      const passed = signature.passesKwargs;
      if (passed !== undefined && passed.accepts.includes(name)) continue;
      throw typeError(`${passed?.to ?? qualified}() got an unexpected keyword argument '${name}'`);
    }
    if (args.length > signature.params.indexOf(name) + (signature.onRecords ? 1 : 0)) {
      throw typeError(`${qualified}() got multiple values for argument '${name}'`);
    }
    params[name] = value;
  }
  const missing = signature.params.find((name) => !(name in params));
  if (missing !== undefined)
    throw typeError(`${qualified}() missing 1 required positional argument: '${missing}'`);
  return { ids, params };
}
