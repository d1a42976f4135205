import type { OperationInput } from '../../../shared/contract/operations.js';

export type QueryRead<T> =
  { readonly ok: true; readonly input: T } | { readonly ok: false; readonly message: string };

/** The bySource input from the form; empty optional fields are left out, not sent as ''. */
export function sourceQuery(
  sourceId: string,
  sourceType: string,
): QueryRead<OperationInput<'lineage.bySource'>> {
  const id = sourceId.trim();
  const type = sourceType.trim();
  if (id === '') return { ok: false, message: 'Enter the source record id.' };
  return { ok: true, input: { sourceId: id, ...(type === '' ? {} : { sourceType: type }) } };
}

/** The byTarget input: a model and its external ID or its database id (one of them is needed). */
export function targetQuery(
  targetModel: string,
  targetKey: string,
  targetId: string,
): QueryRead<OperationInput<'lineage.byTarget'>> {
  const model = targetModel.trim();
  const key = targetKey.trim();
  const id = targetId.trim();
  if (model === '') return { ok: false, message: 'Enter the target model, e.g. stock.move.' };
  if (key === '' && id === '') return { ok: false, message: 'Enter the external ID or the target id.' };
  return {
    ok: true,
    input: {
      targetModel: model,
      ...(key === '' ? {} : { targetKey: key }),
      ...(id === '' ? {} : { targetId: id }),
    },
  };
}

/** The source record a link asked for ('#/lineage?source=sd-1&type=SupplyDelivery'), or null. */
export function sourceFromHash(
  hash: string,
): { readonly sourceId: string; readonly sourceType: string } | null {
  const at = hash.indexOf('?');
  if (at === -1) return null;
  const query = new URLSearchParams(hash.slice(at + 1));
  const sourceId = query.get('source')?.trim() ?? '';
  return sourceId === '' ? null : { sourceId, sourceType: query.get('type')?.trim() ?? '' };
}

/** The link that opens the Lineage page on what a source record became. */
export function lineageHash(sourceId: string, sourceType: string): string {
  const query = new URLSearchParams({ source: sourceId, ...(sourceType === '' ? {} : { type: sourceType }) });
  return `#/lineage?${query.toString()}`;
}
