import { z } from 'zod';
import { FALLBACK_FIELD_TYPES } from './fallback.js';

/**
 * A flow's manual fallback settings (issue 11, item 3), part of its definition (flow.ts): the form
 * fields and where each value goes in the source record an entry stands in for, the fields that
 * identify the same event when the source delivers it late (match keys), the roles that may enter
 * transactions besides administrators, and fixed values every entry's record carries (a FHIR
 * extension's url, a resourceType). Without settings the form is derived from the plain source paths
 * the flow's active mapping reads, with no match keys (main/engine/fallback/fallback-form.ts).
 */

/** Path segments that would reach an object's prototype when the record is built. */
const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * A dot path into the source record: names separated by dots, a number segment for an array element
 * (`suppliedItem.itemCodeableConcept.coding.0.code`). `id` is reserved: it holds the provisional id.
 */
export const fallbackPathSchema = z
  .string()
  .trim()
  .min(1, 'Give the path in the source record')
  .max(200)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|[0-9]{1,3}))*$/,
    'Use a dot path such as suppliedItem.quantity.value (names, and numbers for list positions)',
  )
  .refine((path) => !path.split('.').some((segment) => UNSAFE_SEGMENTS.has(segment)), {
    message: 'A path cannot name __proto__, prototype or constructor',
  })
  .refine((path) => path !== 'id' && !path.startsWith('id.'), {
    message: 'The path "id" is reserved: it holds the entry\'s provisional id',
  });

export const fallbackFieldSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'Field names use letters, digits, _ and - (a form field name)'),
    label: z.string().trim().min(1, 'Give the field a label').max(120),
    type: z.enum(FALLBACK_FIELD_TYPES),
    required: z.boolean().default(false),
    path: fallbackPathSchema,
    help: z.string().trim().max(300).optional(),
  })
  .strict();

export const fallbackConstantSchema = z
  .object({
    path: fallbackPathSchema,
    value: z.union([z.string().max(500), z.number(), z.boolean()]),
  })
  .strict();

/** Roles that may be granted fallback entry (viewers never write; administrators always may). */
export const FALLBACK_GRANTABLE_ROLES = ['it-staff', 'finance', 'administrator'] as const;

/** Two paths conflict when they are equal or one lies inside the other (`a` and `a.b`). */
function pathsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

export const flowFallbackSchema = z
  .object({
    fields: z.array(fallbackFieldSchema).min(1, 'Give the form at least one field').max(40),
    /** Field names whose values identify the same event (e.g. encounter, code, quantity, time by day). */
    matchKeys: z.array(z.string().trim().min(1).max(80)).max(10).default([]),
    roles: z.array(z.enum(FALLBACK_GRANTABLE_ROLES)).max(3).default([]),
    constants: z.array(fallbackConstantSchema).max(20).default([]),
  })
  .strict()
  .superRefine((settings, context) => {
    const names = new Set<string>();
    settings.fields.forEach((field, index) => {
      if (names.has(field.name))
        context.addIssue({
          code: 'custom',
          path: ['fields', index, 'name'],
          message: `The field name "${field.name}" is used twice`,
        });
      names.add(field.name);
    });
    const paths = [
      ...settings.fields.map((field, index) => ({ path: field.path, at: ['fields', index, 'path'] })),
      ...settings.constants.map((constant, index) => ({
        path: constant.path,
        at: ['constants', index, 'path'],
      })),
    ];
    paths.forEach((entry, index) => {
      const clash = paths.slice(0, index).find((other) => pathsOverlap(other.path, entry.path));
      if (clash !== undefined)
        context.addIssue({
          code: 'custom',
          path: entry.at,
          message: `The path "${entry.path}" overlaps "${clash.path}": each value needs its own place in the record`,
        });
    });
    const seenKeys = new Set<string>();
    settings.matchKeys.forEach((key, index) => {
      if (!names.has(key))
        context.addIssue({
          code: 'custom',
          path: ['matchKeys', index],
          message: `The match key "${key}" is not a field of the form (fields: ${[...names].join(', ')})`,
        });
      if (seenKeys.has(key))
        context.addIssue({
          code: 'custom',
          path: ['matchKeys', index],
          message: `The match key "${key}" is listed twice`,
        });
      seenKeys.add(key);
    });
  });

export type FlowFallback = z.output<typeof flowFallbackSchema>;
export type FlowFallbackInput = z.input<typeof flowFallbackSchema>;
