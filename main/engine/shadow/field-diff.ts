import type { ShadowFieldDiff } from '../../../shared/domain/shadow.js';

/**
 * Field-by-field comparison of two mapped payloads (the active version's and the tried one's):
 * objects key by key, lists item by item (one2many lines by position), everything else by value.
 * Only leaves that differ are reported, each once, by path: `invoice_line_ids[0].price_unit`.
 * Numbers compare by value (1 and 1.0 are one JSON number); a field present on one side only is
 * reported with its missing side marked, so "absent" and "null" stay distinguishable.
 */

type Json = unknown;

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function sameLeaf(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function walk(active: Json, shadow: Json, path: string, out: ShadowFieldDiff[]): void {
  if (isPlainObject(active) && isPlainObject(shadow)) {
    const keys = [...new Set([...Object.keys(active), ...Object.keys(shadow)])];
    for (const key of keys) {
      const inActive = Object.hasOwn(active, key);
      const inShadow = Object.hasOwn(shadow, key);
      const next = childPath(path, key);
      if (inActive && inShadow) walk(active[key], shadow[key], next, out);
      else if (inActive)
        out.push({ path: next, active: active[key] ?? null, shadow: null, shadowMissing: true });
      else out.push({ path: next, active: null, shadow: shadow[key] ?? null, activeMissing: true });
    }
    return;
  }
  if (Array.isArray(active) && Array.isArray(shadow)) {
    const length = Math.max(active.length, shadow.length);
    for (let index = 0; index < length; index += 1) {
      const next = `${path}[${index}]`;
      if (index >= active.length)
        out.push({ path: next, active: null, shadow: shadow[index] ?? null, activeMissing: true });
      else if (index >= shadow.length)
        out.push({ path: next, active: active[index] ?? null, shadow: null, shadowMissing: true });
      else walk(active[index], shadow[index], next, out);
    }
    return;
  }
  if (!sameLeaf(active, shadow)) out.push({ path: path === '' ? '(record)' : path, active, shadow });
}

export function diffPayloads(
  active: Readonly<Record<string, unknown>>,
  shadow: Readonly<Record<string, unknown>>,
): ShadowFieldDiff[] {
  const out: ShadowFieldDiff[] = [];
  walk(active, shadow, '', out);
  return out;
}

/** The top-level field a path starts with (`invoice_line_ids[0].name` → `invoice_line_ids`). */
export function topField(path: string): string {
  const match = /^[^.[]+/.exec(path);
  return match === null ? path : match[0];
}

/**
 * Odoo's current value for a diff, when the top-level field is a plain value Odoo reads back as
 * sent (char, number, boolean, date, selection). Relations (`partner_id/id`, lines) are left out:
 * `read` answers ids and names, not what the payload sends.
 */
export function withOdooValues(
  diffs: readonly ShadowFieldDiff[],
  current: Readonly<Record<string, unknown>> | undefined,
): ShadowFieldDiff[] {
  if (current === undefined) return [...diffs];
  return diffs.map((diff) =>
    diff.path.includes('/') ||
    diff.path.includes('.') ||
    diff.path.includes('[') ||
    !Object.hasOwn(current, diff.path)
      ? diff
      : { ...diff, odoo: current[diff.path] },
  );
}
