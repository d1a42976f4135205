/**
 * The connector speaks in execute_kw terms (positional `args`, then `kwargs`), exactly as the
 * recorded Odoo 17 bodies do. JSON-2 only takes named arguments, so this table names the
 * positional parameters of the ORM methods the connector calls. Record methods take the record ids
 * as their first positional argument (JSON-2's `ids`).
 */
export interface MethodSignature {
  readonly onRecords: boolean;
  readonly params: readonly string[];
}

const SIGNATURES: Readonly<Record<string, MethodSignature>> = {
  search: { onRecords: false, params: ['domain', 'offset', 'limit', 'order'] },
  search_read: { onRecords: false, params: ['domain', 'fields', 'offset', 'limit', 'order'] },
  search_count: { onRecords: false, params: ['domain', 'limit'] },
  read_group: {
    onRecords: false,
    params: ['domain', 'fields', 'groupby', 'offset', 'limit', 'orderby', 'lazy'],
  },
  formatted_read_group: {
    onRecords: false,
    params: ['domain', 'groupby', 'aggregates', 'having', 'offset', 'limit', 'order'],
  },
  read: { onRecords: true, params: ['fields'] },
  create: { onRecords: false, params: ['vals_list'] },
  write: { onRecords: true, params: ['vals'] },
  unlink: { onRecords: true, params: [] },
  load: { onRecords: false, params: ['fields', 'data'] },
  fields_get: { onRecords: false, params: ['allfields', 'attributes'] },
  check_access_rights: { onRecords: false, params: ['operation', 'raise_exception'] },
  has_access: { onRecords: false, params: ['operation'] },
  context_get: { onRecords: false, params: [] },
  check_object_reference: { onRecords: false, params: ['module', 'xml_id'] },
};

/** Unknown methods (server actions such as `action_post`) are record methods without parameters. */
export function signatureOf(method: string): MethodSignature {
  return SIGNATURES[method] ?? { onRecords: true, params: [] };
}

/** Build a JSON-2 body from execute_kw-style arguments. */
export function namedArguments(
  method: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const signature = signatureOf(method);
  const body: Record<string, unknown> = {};
  let positional = args;
  if (signature.onRecords) {
    body.ids = args[0] ?? [];
    positional = args.slice(1);
  }
  if (positional.length > signature.params.length) {
    throw new RangeError(`${method} takes ${signature.params.length} positional arguments over JSON-2`);
  }
  positional.forEach((value, index) => {
    const name = signature.params[index];
    if (name !== undefined) body[name] = value;
  });
  return { ...body, ...kwargs };
}
