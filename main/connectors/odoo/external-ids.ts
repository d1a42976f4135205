/**
 * External IDs (ir.model.data `module.name`) are how writes stay idempotent: every record the console
 * writes gets a name derived from where it came from, under the connection's own module, so sending
 * it again updates the same Odoo record instead of creating a twin.
 */

const UNSAFE = /[^A-Za-z0-9_]+/g;

function part(value: string): string {
  const cleaned = value
    .trim()
    .replace(UNSAFE, '_')
    .replace(/^_+|_+$/g, '');
  return cleaned === '' ? 'x' : cleaned;
}

/** `fhir_ehr`, `ChargeItem`, `ci-42` → `fhir_ehr_ChargeItem_ci_42`. */
export function externalIdName(sourceSystem: string, sourceType: string, sourceId: string): string {
  return `${part(sourceSystem)}_${part(sourceType)}_${part(sourceId)}`;
}

/** A key that already names its module (`base.main_company`) is kept; a bare name gets `module`. */
export function qualifyExternalId(key: string, module: string): string {
  return key.includes('.') ? key : `${module}.${key}`;
}

export function splitExternalId(fullName: string): { module: string; name: string } {
  const dot = fullName.indexOf('.');
  return dot < 0
    ? { module: '', name: fullName }
    : { module: fullName.slice(0, dot), name: fullName.slice(dot + 1) };
}
