import { z } from 'zod';
import { ConnectorError } from '../types.js';

/** `fields_get` for the mapping editor: what each target field is called, its type and relation. */

export interface OdooField {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly required: boolean;
  readonly readonly: boolean;
  readonly relation: string | null;
  readonly selection: readonly (readonly [string, string])[] | null;
}

export const FIELD_ATTRIBUTES = ['string', 'type', 'required', 'readonly', 'relation', 'selection'];

const attributesSchema = z.looseObject({
  string: z.string().optional(),
  type: z.string(),
  required: z.boolean().optional(),
  readonly: z.boolean().optional(),
  relation: z.string().optional(),
  selection: z
    .union([z.array(z.tuple([z.union([z.string(), z.number()]), z.string()])), z.unknown()])
    .optional(),
});

export function parseFieldsGet(result: unknown): OdooField[] {
  const parsed = z.record(z.string(), attributesSchema).safeParse(result);
  if (!parsed.success)
    throw new ConnectorError('permanent', 'odoo.bad-answer', 'fields_get answered in an unexpected shape');
  return Object.entries(parsed.data)
    .map(([name, attributes]) => ({
      name,
      label: attributes.string ?? name,
      type: attributes.type,
      required: attributes.required ?? false,
      readonly: attributes.readonly ?? false,
      relation: attributes.relation ?? null,
      selection: Array.isArray(attributes.selection)
        ? (attributes.selection as [string | number, string][]).map(
            ([value, label]) => [String(value), label] as const,
          )
        : null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
