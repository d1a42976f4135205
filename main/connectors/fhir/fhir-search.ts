import { z } from 'zod';
import { ConnectorError } from '../types.js';

/**
 * What a FHIR flow reads: a resource type plus optional extra search parameters. The incremental
 * parameters (`_lastUpdated`, `_sort`, `_count`) belong to the connector and cannot be overridden, or
 * the cursor would lose its meaning.
 */
const RESERVED = new Set(['_lastUpdated', '_sort', '_count', '_offset', '_getpages']);

export const fhirSelectorSchema = z.object({
  resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, 'A FHIR resource type, e.g. ChargeItem'),
  params: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/), z.string().max(1024))
    .refine((params) => Object.keys(params).every((name) => !RESERVED.has(name)), {
      message: '_lastUpdated, _sort and _count are set by the connector',
    })
    .default({}),
});
export type FhirSelector = z.infer<typeof fhirSelectorSchema>;

export function parseFhirSelector(selector: unknown): FhirSelector {
  const result = fhirSelectorSchema.safeParse(selector);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ConnectorError(
      'configuration',
      'fhir.bad-selector',
      `The flow's FHIR selector is invalid: ${first?.path.join('.') ?? ''} ${first?.message ?? ''}`.trim(),
    );
  }
  return result.data;
}

/** The first search request (a relative path); later pages follow the server's `next` links. */
export function firstSearchPath(selector: FhirSelector, since: string | null, pageSize: number): string {
  const query = new URLSearchParams(selector.params);
  if (since !== null) query.set('_lastUpdated', `gt${since}`);
  query.set('_sort', '_lastUpdated');
  query.set('_count', String(pageSize));
  return `${selector.resourceType}?${query.toString()}`;
}
