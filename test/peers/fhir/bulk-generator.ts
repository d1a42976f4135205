import type { ChargeItem } from 'fhir/r4';
import { CLINIC_SYSTEMS, SERVICES } from './clinic-catalogue.js';
import type { BulkSpec } from './resource-store.js';

/**
 * Large ChargeItem sets for benchmarks (100k+). Nothing is built up front: record i is computed from
 * its index when a page asks for it, so a 200k set costs a slot per record, not 200k JSON documents.
 * Records are `stepMs` apart, ending at `endMs`, in lastUpdated order.
 */
export function bulkChargeItems(
  count: number,
  options: { endMs: number; stepMs?: number; prefix?: string },
): BulkSpec {
  const step = options.stepMs ?? 250;
  const prefix = options.prefix ?? 'bulk-charge';
  const startMs = options.endMs - count * step;
  return {
    type: 'ChargeItem',
    count,
    at(index) {
      const id = `${prefix}-${index}`;
      const lastUpdatedMs = startMs + index * step;
      return {
        id,
        lastUpdatedMs,
        identifier: `${CLINIC_SYSTEMS.chargeItem}|${id}`,
        build(meta): ChargeItem {
          const service = SERVICES[index % SERVICES.length]!;
          const at = new Date(lastUpdatedMs).toISOString();
          return {
            resourceType: 'ChargeItem',
            id,
            meta,
            identifier: [{ system: CLINIC_SYSTEMS.chargeItem, value: id }],
            status: 'billable',
            code: {
              coding: [{ system: CLINIC_SYSTEMS.serviceCode, code: service.code, display: service.display }],
            },
            subject: { reference: `Patient/bulk-pat-${index % 5000}` },
            context: { reference: `Encounter/bulk-enc-${Math.floor(index / 2)}` },
            occurrenceDateTime: at,
            quantity: { value: 1 },
            priceOverride: { value: service.price, currency: 'EUR' },
            enteredDate: at,
          };
        },
      };
    },
  };
}
