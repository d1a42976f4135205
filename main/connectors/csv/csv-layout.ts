import { z } from 'zod';
import { ConnectorError } from '../types.js';

/**
 * A CSV flow's selector: which columns to read (by header text, or by position when the file has no
 * header row), the field each becomes, its type and whether it is required, and which fields make
 * the record's stable id.
 */
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a field name: letters, digits and _');

export const csvColumnSchema = z.object({
  header: z.string().trim().min(1).max(200),
  /** 1-based position, used when the file has no header row. */
  position: z.number().int().min(1).max(1000).optional(),
  field: fieldName,
  type: z.enum(['string', 'number', 'integer', 'date']).default('string'),
  required: z.boolean().default(false),
});

export const csvLayoutSchema = z.object({
  recordType: z.string().trim().min(1).max(100).default('csv-row'),
  columns: z.array(csvColumnSchema).min(1).max(200),
  keyFields: z.array(fieldName).max(10).default([]),
  decimalSeparator: z.enum(['.', ',']).default('.'),
  dateFormat: z.enum(['YYYY-MM-DD', 'DD.MM.YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY']).default('YYYY-MM-DD'),
});

export type CsvLayout = z.infer<typeof csvLayoutSchema>;
export type CsvColumn = z.infer<typeof csvColumnSchema>;

export function parseCsvLayout(selector: unknown): CsvLayout {
  const result = csvLayoutSchema.safeParse(selector);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConnectorError(
      'configuration',
      'csv.bad-layout',
      `The CSV layout is invalid: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  const fields = new Set(result.data.columns.map((column) => column.field));
  const unknownKey = result.data.keyFields.find((field) => !fields.has(field));
  if (unknownKey !== undefined) {
    throw new ConnectorError(
      'configuration',
      'csv.bad-layout',
      `Key field "${unknownKey}" is not one of the layout's columns.`,
    );
  }
  // A key field that may be empty would give records without a stable id.
  const keys = new Set(result.data.keyFields);
  return {
    ...result.data,
    columns: result.data.columns.map((column) =>
      keys.has(column.field) ? { ...column, required: true } : column,
    ),
  };
}
