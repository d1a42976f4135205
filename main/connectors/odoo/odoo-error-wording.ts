/**
 * Reads the facts out of Odoo's error texts, as real Odoo 17.0 and 19.0 word them (measured against
 * real servers: test/real-odoo/odoo-errors.test.ts, test/real-odoo/odoo19-json2-errors.test.ts), so
 * the classifier can say what is wrong in an operator's terms whichever protocol carried the text
 * (19 words the same errors alike over JSON-2 and /jsonrpc). Each reader returns null when the text
 * is not the one it knows; the classifier then keeps Odoo's own text. Older wordings that Odoo (or
 * the emulator) used are accepted too.
 */

/** `The method 'frobnicate' does not exist on the model 'res.partner'` (17.0), `The method 'res.partner.frobnicate' does not exist` (older). */
export function unknownMethod(text: string): { model: string | null; method: string } | null {
  const current = /^The method '([^']+)' does not exist on the model '([^']+)'$/.exec(text);
  if (current?.[1] !== undefined && current[2] !== undefined)
    return { model: current[2], method: current[1] };
  const older = /^The method '([^']+)' does not exist$/.exec(text);
  if (older?.[1] === undefined) return null;
  const dot = older[1].lastIndexOf('.');
  return dot > 0
    ? { model: older[1].slice(0, dot), method: older[1].slice(dot + 1) }
    : { model: null, method: older[1] };
}

/**
 * A model this database does not have: `Object res.nope doesn't exist` (17.0's execute_kw) or
 * `the model 'res.nope' does not exist` (19.0's JSON-2 404).
 */
export function unknownModel(text: string): string | null {
  return (
    /^Object (\S+) doesn't exist$/.exec(text)?.[1] ??
    /^the model '([^']+)' does not exist$/.exec(text)?.[1] ??
    null
  );
}

/**
 * An unknown field: `Invalid field 'x' on model 'res.partner'` (17.0's create, write, read;
 * read_group adds ` for …`), 19.0's `Invalid field 'x' on 'res.partner'` (read) and `Invalid field
 * 'x' in 'res.partner'` (create, write), or in a search domain `Invalid field res.partner.x in leaf
 * ('x', '=', 1)` (17.0) / `… in condition ('x', '=', 1)` (19.0).
 */
export function invalidField(
  text: string,
  callModel: string | null,
): { model: string | null; field: string; inDomain: boolean } | null {
  const orm = /^Invalid field '([^']+)' (?:on model|on|in) '([^']+)'/.exec(text);
  if (orm?.[1] !== undefined && orm[2] !== undefined)
    return { model: orm[2], field: orm[1], inDomain: false };
  const domain = /^Invalid field (\S+) in (?:leaf|condition) /.exec(text);
  if (domain?.[1] === undefined) return null;
  const dotted = domain[1];
  if (callModel !== null && dotted.startsWith(`${callModel}.`)) {
    return { model: callModel, field: dotted.slice(callModel.length + 1), inDomain: true };
  }
  const dot = dotted.lastIndexOf('.');
  return dot > 0
    ? { model: dotted.slice(0, dot), field: dotted.slice(dot + 1), inDomain: true }
    : { model: callModel, field: dotted, inDomain: true };
}

/** `Wrong value for res.partner.type: 'nonsense'`: a value that is not one of a selection's keys. */
export function wrongSelectionValue(text: string): { model: string; field: string; value: string } | null {
  const match = /^Wrong value for (\S+)\.([^.\s]+): (.*)$/s.exec(text);
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) return null;
  return { model: match[1], field: match[2], value: match[3] };
}

/**
 * A date or datetime Odoo cannot parse: `time data 'x' does not match format '%Y-%m-%d'` (Python's
 * strptime, from create/write) or PostgreSQL's `invalid input syntax for type timestamp: "x"` (a
 * search domain).
 */
export function badDate(text: string): { value: string; withTime: boolean } | null {
  const python = /^time data '(.*)' does not match format '([^']*)'/s.exec(text);
  if (python?.[1] !== undefined && python[2] !== undefined) {
    return { value: python[1], withTime: python[2].includes('%H') };
  }
  const postgres = /^invalid input syntax for type (date|timestamp)[^:]*: "(.*)"/.exec(text);
  if (postgres?.[1] !== undefined && postgres[2] !== undefined) {
    return { value: postgres[2], withTime: postgres[1] === 'timestamp' };
  }
  return null;
}

/**
 * The ValidationError Odoo makes of a NOT NULL violation: 17.0's `… a mandatory field is not set. …
 * Model: Stock Move (stock.move) Field: Product (product_id)`, 19.0's `The operation cannot be
 * completed: Missing required value for the field 'Product' (product_id).` followed by `Model:
 * 'Stock Move' (stock.move)` and `- create/update: a mandatory field is not set`.
 */
export function mandatoryFieldMissing(
  text: string,
): { model: string; field: string; fieldLabel: string } | null {
  if (!text.includes('a mandatory field is not set')) return null;
  const model = /^Model: .*\(([^()\s]+)\)\s*$/m.exec(text)?.[1];
  const field =
    /^Field: (.*) \(([^()\s]+)\)\s*$/m.exec(text) ??
    /Missing required value for the field '(.*)' \(([^()\s]+)\)\.?\s*$/m.exec(text);
  if (model === undefined || field?.[1] === undefined || field[2] === undefined) return null;
  return { model, field: field[2], fieldLabel: field[1] };
}

/** `… database "clinic" does not exist`: PostgreSQL has no database of that name. */
export function missingDatabase(text: string): string | null {
  return /database "([^"]*)" does not exist/.exec(text)?.[1] ?? null;
}

/** 19.0's `load` with a column naming no field: `Invalid field name 'x'` (17.0 raised `KeyError: 'x'`). */
export function unknownLoadColumnName(text: string): string | null {
  return /^Invalid field name '([^']+)'$/.exec(text)?.[1] ?? null;
}

/**
 * A `load` column an unknown name (Odoo's KeyError) belongs to: `no_such_field`, `nope_ids/id`, or
 * the sub-field of a one2many line column `invoice_line_ids/nope`.
 */
export function loadColumnOf(
  name: string,
  columns: readonly string[],
): { parent: string | null; field: string } | null {
  for (const column of columns) {
    const parts = column.split('/');
    const at = parts.indexOf(name);
    // `field/id` and `field/.id` name the relation's key, not a field of a line model.
    if (at === 0) return { parent: null, field: name };
    if (at > 0 && name !== 'id' && name !== '.id') return { parent: parts[at - 1] ?? null, field: name };
  }
  return null;
}
