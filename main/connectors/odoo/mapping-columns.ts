import jsonata from 'jsonata';
import type { MappingSpec } from '../../../shared/domain/mapping.js';

/**
 * The Odoo columns a mapping writes, read from the mapping itself: its target fields, its
 * references (`field/id`), and, for a field whose expression builds line objects (one2many lines
 * such as `invoice_line_ids`), the keys of those objects (`name`, `product_id/id`, …). Read from
 * the JSONata syntax tree, so no record has to be mapped to know them.
 */

export interface MappingColumns {
  /** Target fields, each with the keys of the objects its expression builds (empty for scalars). */
  readonly fields: readonly { readonly name: string; readonly lineKeys: readonly string[] }[];
  /** Relational fields set by external ID (`<field>/id`). */
  readonly references: readonly string[];
}

interface AstNode {
  readonly type?: unknown;
  readonly value?: unknown;
  readonly lhs?: unknown;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null;
}

/** Keys of the outermost object constructors (`{"name": …}`) anywhere in an expression. */
export function objectKeys(expression: string): string[] {
  let root: unknown;
  try {
    root = jsonata(expression).ast();
  } catch {
    // An expression that does not compile cannot be activated; it needs no rights either.
    return [];
  }
  const keys: string[] = [];
  const visit = (node: unknown, depth: number): void => {
    // Bounded: a mapping expression is at most 4000 characters, its tree far shallower than this.
    if (depth > 200) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    if (!isNode(node)) return;
    if (node.type === 'unary' && node.value === '{' && Array.isArray(node.lhs)) {
      for (const pair of node.lhs as unknown[]) {
        const key: unknown = Array.isArray(pair) ? pair[0] : undefined;
        if (
          isNode(key) &&
          key.type === 'string' &&
          typeof key.value === 'string' &&
          !keys.includes(key.value)
        )
          keys.push(key.value);
      }
      // The values of a line object are that line's data, not further lines: not descended into.
      return;
    }
    for (const value of Object.values(node)) visit(value, depth + 1);
  };
  visit(root, 0);
  return keys;
}

export function mappingColumns(spec: MappingSpec): MappingColumns {
  return {
    fields: spec.fields.map((field) => ({ name: field.target, lineKeys: objectKeys(field.expression) })),
    references: spec.references.map((reference) => reference.field),
  };
}
