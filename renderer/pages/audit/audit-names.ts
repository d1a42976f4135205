import type { AuditEntry, AuditObject, AuditObjectKind } from '../../../shared/domain/audit.js';

export const KIND_LABELS: Record<AuditObjectKind, string> = {
  connection: 'Connection',
  flow: 'Flow',
  mapping: 'Mapping',
  operator: 'Operator',
  exception: 'Exception',
  run: 'Run',
  checkpoint: 'Checkpoint',
};

type Objects = Readonly<Record<string, AuditObject>>;

/** Known ids inside a text, longest first (so an id that contains another is named, not its part). */
export function idsIn(text: string | null, objects: Objects): string[] {
  if (text === null || text === '') return [];
  return Object.keys(objects)
    .filter((id) => id !== '' && text.includes(id))
    .sort((a, b) => b.length - a.length);
}

/** What a row acts on: the target itself when it is known, else the first known id inside it. */
export function targetObject(
  target: string | null,
  objects: Objects,
): { readonly id: string; readonly object: AuditObject } | null {
  if (target === null) return null;
  const direct = objects[target];
  if (direct !== undefined) return { id: target, object: direct };
  const id = idsIn(target, objects)[0];
  const inside = id === undefined ? undefined : objects[id];
  return id === undefined || inside === undefined ? null : { id, object: inside };
}

/** "Flow: Supply consumption" — how a name reads wherever an id stood. */
export function objectLabel(object: AuditObject): string {
  return `${KIND_LABELS[object.kind]}: ${object.name}`;
}

/** Every known id a row mentions (target first, then its detail), each once. */
export function mentionedObjects(
  entry: AuditEntry,
  objects: Objects,
): { readonly id: string; readonly object: AuditObject }[] {
  const ids = [...idsIn(entry.target, objects), ...idsIn(entry.detail, objects)];
  return [...new Set(ids)].flatMap((id) => {
    const object = objects[id];
    return object === undefined ? [] : [{ id, object }];
  });
}

/** The detail pretty-printed, one line each, with the names of the ids a line holds. */
export function annotatedDetail(
  detail: string,
  objects: Objects,
): { readonly text: string; readonly names: readonly string[] }[] {
  let pretty = detail;
  try {
    pretty = JSON.stringify(JSON.parse(detail) as unknown, null, 2);
  } catch {
    // Not JSON (an old row written as text): shown as it is.
  }
  return pretty.split('\n').map((text) => ({
    text,
    names: idsIn(text, objects).flatMap((id) => {
      const object = objects[id];
      return object === undefined ? [] : [objectLabel(object)];
    }),
  }));
}
