import { z } from 'zod';

/**
 * Mappings: how a source record becomes a target payload. Declarative and versioned: each target
 * field is a JSONata expression over the source record; value maps are code tables the expressions
 * look codes up in (`$valueMap('supplies', code)`); references name another target record by its
 * external ID; validation rules are JSONata predicates with a message and a severity.
 *
 * A version moves draft → approved (by an administrator who is not its author) → active; the
 * previously active version is retired. No version is ever deleted or edited after it is saved.
 */

/** A JSONata expression as typed by the operator; compiled (and checked) by the engine. */
export const expressionSchema = z.string().trim().min(1, 'Enter an expression').max(4000);

export const mappingFieldSchema = z
  .object({
    /** Target field name as the target wants it: `name`, `product_uom_qty`, `invoice_line_ids`. */
    target: z
      .string()
      .trim()
      .max(128)
      .regex(/^[A-Za-z_][A-Za-z0-9_.]{0,127}$/, 'Use letters, digits, _ and . (a target field name)'),
    expression: expressionSchema,
  })
  .strict();

export const valueMapSchema = z
  .object({
    entries: z
      .record(z.string().max(200), z.string().max(500))
      .refine((entries) => Object.keys(entries).length <= 5000, {
        message: 'A value map holds at most 5000 entries',
      }),
    /** What a code missing from the table does: fail the record (default) or give no value. */
    onMissing: z.enum(['fail', 'empty']).default('fail'),
  })
  .strict();

export const referenceSchema = z
  .object({
    /** The relational field; the payload gets `<field>/id` holding the external ID. */
    field: z
      .string()
      .trim()
      .max(128)
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'Use letters, digits and _ (a relational field name)'),
    /** JSONata giving the referenced record's external ID, e.g. `$valueMap('products', code)`. */
    expression: expressionSchema,
  })
  .strict();

export const RULE_SEVERITIES = ['error', 'warning'] as const;
export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

export const validationRuleSchema = z
  .object({
    id: z
      .string()
      .trim()
      .max(64)
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Use lower-case letters, digits and - (a rule id)'),
    /** Must hold for a valid record; sees the source record, and the mapped payload as `$target`. */
    expression: expressionSchema,
    message: z.string().trim().min(1, 'Say what is wrong when the rule fails').max(300),
    severity: z.enum(RULE_SEVERITIES).default('error'),
  })
  .strict();

export const mappingSpecSchema = z
  .object({
    /** The idempotency key: becomes the external ID (Odoo) or identifier (FHIR) of the target record. */
    key: expressionSchema,
    fields: z.array(mappingFieldSchema).min(1, 'Map at least one field').max(200),
    references: z.array(referenceSchema).max(50).default([]),
    valueMaps: z
      .record(
        z
          .string()
          .max(64)
          .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Value map names use a-z, 0-9 and -'),
        valueMapSchema,
      )
      .default({}),
    rules: z.array(validationRuleSchema).max(100).default([]),
  })
  .strict()
  .superRefine((spec, context) => {
    const seen = new Set<string>();
    for (const name of [
      ...spec.fields.map((f) => f.target),
      ...spec.references.map((r) => `${r.field}/id`),
    ]) {
      if (seen.has(name))
        context.addIssue({ code: 'custom', message: `Target field "${name}" is mapped twice` });
      seen.add(name);
    }
    const ruleIds = new Set<string>();
    for (const rule of spec.rules) {
      if (ruleIds.has(rule.id))
        context.addIssue({ code: 'custom', message: `Rule id "${rule.id}" is used twice` });
      ruleIds.add(rule.id);
    }
  });

export type MappingSpec = z.output<typeof mappingSpecSchema>;
export type MappingSpecInput = z.input<typeof mappingSpecSchema>;
export type MappingField = z.output<typeof mappingFieldSchema>;
export type ValidationRule = z.output<typeof validationRuleSchema>;

export const mappingIdSchema = z
  .string()
  .max(64, 'Not a mapping id')
  .regex(/^map_[a-z0-9]{10,40}$/, 'Not a mapping id');
export const mappingNameSchema = z.string().trim().min(1, 'Give the mapping a name').max(120);

export const MAPPING_STATUSES = ['draft', 'approved', 'active', 'retired'] as const;
export type MappingStatus = (typeof MAPPING_STATUSES)[number];

export interface MappingVersion {
  readonly mappingId: string;
  readonly version: number;
  readonly status: MappingStatus;
  readonly spec: MappingSpec;
  /** sha256 of the spec's canonical JSON: lineage names the exact rules a record went through. */
  readonly specHash: string;
  readonly note: string;
  readonly author: string;
  readonly createdAt: string;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly activatedBy: string | null;
  readonly activatedAt: string | null;
}

export interface Mapping {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly createdBy: string;
  /** The version flows run with; null until one is activated. */
  readonly activeVersion: number | null;
  readonly latestVersion: number;
}

export interface MappingWithVersions extends Mapping {
  readonly versions: readonly MappingVersion[];
}

/** One difference between two versions, addressed by a path such as `fields.name` or `rules.price-policy`. */
export interface MappingChange {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before: unknown;
  readonly after: unknown;
}

export interface MappingDiff {
  readonly mappingId: string;
  readonly from: number;
  readonly to: number;
  readonly changes: readonly MappingChange[];
}

export interface RuleResult {
  readonly id: string;
  readonly severity: RuleSeverity;
  readonly passed: boolean;
  readonly message: string;
}

/** What a preview (or a real run) made of one source record. */
export interface MappedPreview {
  readonly index: number;
  readonly ok: boolean;
  readonly key: string | null;
  readonly payload: Readonly<Record<string, unknown>> | null;
  readonly rules: readonly RuleResult[];
  /** Set when mapping itself failed (bad expression at run time, missing value-map code). */
  readonly error: string | null;
}

/** The portable form of a mapping (export/import files for change management). */
export const MAPPING_FILE_FORMAT = 'osc.mapping/1';
export const mappingFileSchema = z
  .object({
    format: z.literal(MAPPING_FILE_FORMAT),
    name: mappingNameSchema,
    description: z.string().max(2000).default(''),
    versions: z
      .array(
        z
          .object({
            version: z.number().int().positive(),
            status: z.enum(MAPPING_STATUSES),
            note: z.string().max(500).default(''),
            author: z.string().max(64),
            spec: mappingSpecSchema,
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();
export type MappingFile = z.output<typeof mappingFileSchema>;
