import type { z } from 'zod';

/**
 * Builds, from a contract input schema, an input whose every string field is longer than that
 * field's declared limit, and lists those fields. It walks Zod's own schema description, so a field
 * added to the contract later is covered without editing the test. A field with no limit is listed
 * with `max: null`, which the test reports as a contract string without a length limit.
 */
export interface StringField {
  readonly path: string;
  readonly max: number | null;
}

export interface OversizedInput {
  readonly input: unknown;
  readonly fields: readonly StringField[];
}

interface Walk {
  /** Which option of every union to take: the walk is repeated for each so every branch is covered. */
  readonly option: number;
  readonly extra: number;
  readonly char: string;
  readonly fields: StringField[];
}

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const UNLIMITED_LENGTH = 70_000;
/** Schemas that only wrap another one (def.innerType) without changing which strings it holds. */
const WRAPPERS: ReadonlySet<string> = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'readonly',
  'catch',
]);

export function oversizedInput(
  schema: z.ZodType,
  option: number,
  extra: number,
  char: string,
): OversizedInput {
  const walk: Walk = { option, extra, char, fields: [] };
  return { input: build(schema, '', walk, 0), fields: walk.fields };
}

/** How many distinct union choices the schema has at most (walks repeat over 0..n-1). */
export function unionWidth(schema: z.ZodType, depth = 0): number {
  if (depth > 12) return 1;
  if (depth === 0) return Math.max(2, unionWidth(schema, 1));
  const def = defOf(schema);
  const children = childSchemas(def);
  const own = def.type === 'union' ? (def.options as z.ZodType[]).length : 1;
  return Math.max(own, ...children.map((child) => unionWidth(child, depth + 1)));
}

function childSchemas(def: Def): z.ZodType[] {
  switch (def.type) {
    case 'object':
      return Object.values(def.shape as Record<string, z.ZodType>);
    case 'union':
      return def.options as z.ZodType[];
    case 'array':
      return [def.element as z.ZodType];
    case 'record':
      return [def.keyType as z.ZodType, def.valueType as z.ZodType];
    case 'pipe':
      return [def.in as z.ZodType];
    default:
      return WRAPPERS.has(def.type) ? [def.innerType as z.ZodType] : [];
  }
}

function build(schema: z.ZodType, path: string, walk: Walk, depth: number): unknown {
  if (depth > 12) return null;
  const def = defOf(schema);
  const next = (child: z.ZodType, childPath: string): unknown => build(child, childPath, walk, depth + 1);
  switch (def.type) {
    case 'string': {
      const max = (schema as z.ZodString).maxLength;
      walk.fields.push({ path, max });
      const length = (max ?? UNLIMITED_LENGTH) + walk.extra;
      return walk.char.repeat(Math.ceil(length / walk.char.length));
    }
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        result[key] = next(child, path === '' ? key : `${path}.${key}`);
      }
      return result;
    }
    case 'union': {
      const options = def.options as z.ZodType[];
      return next(options[walk.option % options.length] as z.ZodType, path);
    }
    case 'array':
      return [next(def.element as z.ZodType, `${path}.0`)];
    case 'record': {
      // Zod checks a record's values only under valid keys, so a walk makes either the key or the
      // value oversized (odd options the key, even ones the value); across walks both are covered.
      const keyOversized = walk.option % 2 === 1;
      const keyWalk: Walk = keyOversized ? walk : { ...walk, fields: [] };
      const key = build(def.keyType as z.ZodType, `${path}.<key>`, keyWalk, depth + 1);
      const keyText = keyOversized && typeof key === 'string' ? key : 'k';
      const valueWalk: Walk = keyOversized ? { ...walk, fields: [] } : walk;
      return { [keyText]: build(def.valueType as z.ZodType, `${path}.${keyText}`, valueWalk, depth + 1) };
    }
    case 'pipe':
      return next(def.in as z.ZodType, path);
    case 'literal':
      return (def.values as unknown[])[0];
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>)[0];
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      if (WRAPPERS.has(def.type)) return next(def.innerType as z.ZodType, path);
      // unknown/any: free JSON (sample records) whose size the HTTP body limit bounds, not the contract.
      return 'x';
  }
}
