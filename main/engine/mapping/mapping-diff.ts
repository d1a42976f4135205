import { isDeepStrictEqual } from 'node:util';
import type { MappingChange, MappingSpec } from '../../../shared/domain/mapping.js';

function diffKeyed<T>(
  prefix: string,
  before: ReadonlyMap<string, T>,
  after: ReadonlyMap<string, T>,
  changes: MappingChange[],
): void {
  for (const [name, value] of before) {
    const next = after.get(name);
    if (next === undefined)
      changes.push({ path: `${prefix}.${name}`, change: 'removed', before: value, after: null });
    else if (!isDeepStrictEqual(value, next))
      changes.push({ path: `${prefix}.${name}`, change: 'changed', before: value, after: next });
  }
  for (const [name, value] of after) {
    if (!before.has(name))
      changes.push({ path: `${prefix}.${name}`, change: 'added', before: null, after: value });
  }
}

/**
 * What changed between two mapping versions, addressed so a reviewer can read it: the key, each
 * target field, each reference, each rule by id, and each value-map entry by code.
 */
export function diffMappingSpecs(before: MappingSpec, after: MappingSpec): MappingChange[] {
  const changes: MappingChange[] = [];
  if (before.key !== after.key)
    changes.push({ path: 'key', change: 'changed', before: before.key, after: after.key });
  diffKeyed(
    'fields',
    new Map(before.fields.map((f) => [f.target, f.expression])),
    new Map(after.fields.map((f) => [f.target, f.expression])),
    changes,
  );
  diffKeyed(
    'references',
    new Map(before.references.map((r) => [r.field, r.expression])),
    new Map(after.references.map((r) => [r.field, r.expression])),
    changes,
  );
  diffKeyed(
    'rules',
    new Map(
      before.rules.map((r) => [r.id, { expression: r.expression, message: r.message, severity: r.severity }]),
    ),
    new Map(
      after.rules.map((r) => [r.id, { expression: r.expression, message: r.message, severity: r.severity }]),
    ),
    changes,
  );
  const mapNames = new Set([...Object.keys(before.valueMaps), ...Object.keys(after.valueMaps)]);
  for (const name of [...mapNames].sort()) {
    const old = before.valueMaps[name];
    const next = after.valueMaps[name];
    if (old === undefined || next === undefined) {
      changes.push({
        path: `valueMaps.${name}`,
        change: old === undefined ? 'added' : 'removed',
        before: old ?? null,
        after: next ?? null,
      });
      continue;
    }
    if (old.onMissing !== next.onMissing) {
      changes.push({
        path: `valueMaps.${name}.onMissing`,
        change: 'changed',
        before: old.onMissing,
        after: next.onMissing,
      });
    }
    diffKeyed(
      `valueMaps.${name}.entries`,
      new Map(Object.entries(old.entries)),
      new Map(Object.entries(next.entries)),
      changes,
    );
  }
  return changes;
}
