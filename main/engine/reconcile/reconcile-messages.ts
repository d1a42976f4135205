import { RECONCILE_DIFFERENCE_LABELS } from '../../../shared/domain/flow-reconcile.js';
import type { FoundDifference } from './reconcile-periods.js';

/**
 * The inbox's words for a reconciliation difference: the type, the period and day, the flow's key,
 * the Odoo id and what was expected against what was found — enough to act without opening Odoo.
 */
export function describeDifference(
  difference: FoundDifference & { readonly day: string; readonly period: string },
  context: { readonly model: string; readonly keyField: string | null },
): string {
  const label = RECONCILE_DIFFERENCE_LABELS[difference.type];
  const where = `on ${difference.day} (period ${difference.period})`;
  const record = `${context.model} ${difference.odooId ?? '?'}`;
  const key = difference.targetKey === null ? '' : ` ${difference.targetKey}`;
  const source = difference.sourceId === null ? '' : ` from ${difference.sourceId}`;
  switch (difference.type) {
    case 'missing-in-odoo':
      return `${label}:${key}${source} was written to ${record} ${where}, which Odoo no longer has. Expected amount ${difference.expected ?? '—'}, found nothing.`;
    case 'amount-differs':
      return `${label}:${key} (${record}) ${where}: expected ${difference.expected ?? '—'}, Odoo holds ${difference.found ?? '—'}.`;
    case 'changed-in-odoo':
      return `${label}:${key} (${record}) ${where} was edited in Odoo after the console wrote it: expected ${difference.expected ?? '—'}, Odoo holds ${difference.found ?? '—'}.`;
    case 'duplicate':
      return `${label}: ${record} ${where} carries the same ${context.keyField ?? 'key'} as a record this flow wrote (expected ${difference.expected ?? 'one record'}); found amount ${difference.found ?? '—'}.`;
    case 'extra-in-odoo':
      return `${label}: ${record} ${where} lies in this flow's scope but the flow never wrote it; found amount ${difference.found ?? '—'}.`;
    case 'never-synced':
      return `${label}: ${difference.sourceId ?? 'a source record'} ${where} is in the source, but the console never read it (expected in Odoo, found nothing).`;
  }
}
